//! `capgap validate`: check questionnaires and print every problem, each with
//! `path:line:col`, a snippet and a line of help; exit 1 when any file is invalid,
//! 2 when there is nothing to check.

use anyhow::Result;

use super::{Context, Outcome, for_each_file, require_inputs};
use crate::cli::ValidateArgs;
use crate::diag::Severity;
use crate::rounds::Rounds;

pub fn run(context: &Context, args: &ValidateArgs) -> Result<Outcome> {
    require_inputs(context, &args.paths)?;
    let (mut total, mut valid, mut errors, mut warnings) = (0, 0, 0, 0);
    let mut rounds = Rounds::default();
    for_each_file(
        context,
        &args.paths,
        |_, _| (),
        |result| {
            total += 1;
            let mut diagnostics = result.diagnostics;
            let mut ok = false;
            if let Some(key) = result.round.filter(|_| result.score.is_some()) {
                match rounds.check(key, &result.path) {
                    Some(duplicate) => diagnostics.push(duplicate),
                    None => ok = true,
                }
            }
            for diagnostic in &diagnostics {
                context.print(diagnostic);
                match diagnostic.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                }
            }
            if ok {
                valid += 1;
            }
        },
    );
    let invalid = total - valid;
    if invalid > 0 || !context.global.quiet {
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
