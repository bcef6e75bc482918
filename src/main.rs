//! The `wasi-externals` command: parse arguments, run one command, render its outcome.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
