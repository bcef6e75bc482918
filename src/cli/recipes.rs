//! `recipes` and `recipes show`: their arguments and how the effective recipes
//! are shown; which recipe is in effect is `ops::recipes`.

use std::process::ExitCode;

use wasi_externals::ops::{self, Session};

use super::Output;

/// List the effective recipe of each dep: built in, or from an overlay folder
///
/// Recipes and patches are compiled into the program. `recipes = "DIR"` and
/// `patches = "DIR"` in deps.toml (or --recipes / --patches) are overlays:
/// `DIR/<dep>.toml` replaces that dep's recipe, `DIR/<dep>/<name>.patch` the
/// built-in patch of that name. Works without a deps.toml (built-ins only).
///
/// Example: start an overlay from the built-in recipe, then edit it:
///
///   mkdir -p recipes && wasi-externals recipes show zlib > recipes/zlib.toml
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Print the effective recipe of DEP (its origin goes to stderr)
    ///
    /// Example:
    ///
    ///   wasi-externals recipes show sqlite > recipes/sqlite.toml
    #[command(verbatim_doc_comment)]
    Show {
        /// The dependency, e.g. `zlib`.
        dep: String,
    },
}

pub fn run(
    session: &Session,
    args: Args,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    match args.command {
        Some(Command::Show { dep }) => {
            let recipe = ops::recipe(session, &dep)?;
            if !output.json {
                eprintln!("# {dep}: {} recipe", recipe.origin);
                print!("{}", recipe.text);
            }
            output.result(
                &serde_json::json!({"dep": dep, "origin": recipe.origin, "text": recipe.text}),
                |_| {},
            );
        }
        None => {
            let entries = ops::recipes(session)?;
            output.result(&entries, |entries| {
                println!("{:<10} {:<16} {:<12} origin", "dep", "pinned tag", "sha256");
                for e in entries {
                    let tag = e.tag.as_deref().unwrap_or("-");
                    let note = if e.unsupported.is_some() {
                        " (unsupported for WASI)"
                    } else {
                        ""
                    };
                    println!(
                        "{:<10} {:<16} {:<12} {}{note}",
                        e.dep,
                        tag,
                        &e.sha256[..12],
                        e.origin
                    );
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
