//! `capgap validate`: check questionnaires and print every problem, each with
//! `path:line:col`, a snippet and a line of help; exit 1 when any file is invalid.

use anyhow::Result;

use super::{Context, Outcome, for_each_file};
use crate::cli::ValidateArgs;
use crate::diag::Severity;

pub fn run(context: &Context, args: &ValidateArgs) -> Result<Outcome> {
    let (mut total, mut valid, mut errors, mut warnings) = (0, 0, 0, 0);
    for_each_file(
        context,
        &args.paths,
        |_, _| (),
        |result| {
            total += 1;
            for diagnostic in &result.diagnostics {
                context.print(diagnostic);
                match diagnostic.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                }
            }
            if result.score.is_some() {
                valid += 1;
            }
        },
    );
    let invalid = total - valid;
    if total == 0 {
        context.note("no *.yaml or *.yml files found");
    } else if invalid > 0 || !context.global.quiet {
        eprintln!(
            "checked {total} file(s): {valid} valid, {invalid} invalid; {errors} error(s), {warnings} warning(s)"
        );
    }
    Ok(if invalid == 0 {
        Outcome::Clean
    } else {
        Outcome::SomeInvalid
    })
}
