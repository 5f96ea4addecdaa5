//! The `capgap` binary: parse the command line, run the command, map the outcome to
//! the exit status of SPEC §6 (0 all good, 1 some inputs invalid, 2 could not run).

use std::process::ExitCode;

/// mimalloc: rendering thousands of pages is allocation-bound, and glibc's
/// allocator spent about half of `report`'s time there (see the README's benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use capgap::cli::{Cli, Command};
use capgap::commands::{self, Context, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::SomeInvalid) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {}", commands::user_message(&err));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let context = Context::new(cli.global)?;
    match &cli.command {
        Command::Validate(args) => commands::validate::run(&context, args),
        Command::Score(args) => commands::score::run(&context, args),
        Command::Template(args) => commands::template::run(&context, args),
        Command::Model(args) => commands::model::run(&context, args),
        Command::Schema(args) => commands::schema::run(&context, args),
        Command::Lsp(args) => commands::lsp::run(&context, args),
        Command::Plan(args) => commands::plan::run(&context, args),
        Command::Report(args) => commands::report::run(&context, args),
        Command::Theme { command } => commands::report::export_templates(&context, command),
    }
}
