//! The `wasi-externals` command: parse arguments, run one command, render its outcome.

// See the library: errors are large by design (context for people) and cold.
#![allow(clippy::result_large_err)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
