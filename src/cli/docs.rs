//! Shell completions and man pages, generated from the same clap definitions as `--help`.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::Cli;

/// Print a completion script for a shell
///
/// Example:
///
///   wasi-externals completions bash > ~/.local/share/bash-completion/completions/wasi-externals
///   wasi-externals completions zsh > ~/.zfunc/_wasi-externals   # a folder in $fpath
///   wasi-externals completions fish > ~/.config/fish/completions/wasi-externals.fish
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

/// Print a man page (roff) for the program or one of its commands
///
/// Example:
///
///   wasi-externals man > ~/.local/share/man/man1/wasi-externals.1
///   wasi-externals man build | man -l -
///   wasi-externals man --dir ~/.local/share/man/man1   # every page
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// The command whose page to print, e.g. `build` or `cache gc` [default: the program's page].
    command: Vec<String>,
    /// Write every page (the program's and each command's) into DIR instead.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    dir: Option<std::path::PathBuf>,
}

/// The full command definition, as the man pages and completions see it.
///
/// Its version is the package's alone, so generated files do not change with every commit.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command().version(env!("CARGO_PKG_VERSION"));
    cmd.build();
    cmd
}

pub fn completions(args: &CompletionsArgs) -> ExitCode {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "wasi-externals", &mut out);
    write_stdout(&out)
}

pub fn man(args: &ManArgs) -> ExitCode {
    if let Some(dir) = &args.dir {
        return match write_pages(dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!(
                    "error: cannot write man pages into {}: {err}",
                    dir.display()
                );
                ExitCode::FAILURE
            }
        };
    }
    match man_page(&args.command) {
        Some(page) => write_stdout(&page),
        None => {
            eprintln!(
                "error: no command `{}`; see `wasi-externals --help`",
                args.command.join(" ")
            );
            ExitCode::FAILURE
        }
    }
}

/// `wasi-externals.1` and `wasi-externals-<command…>.1` for every command but `help`.
fn write_pages(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut pending = vec![Vec::<String>::new()];
    while let Some(path) = pending.pop() {
        let page = man_page(&path).expect("commands the definition lists");
        let name = [&["wasi-externals".to_owned()], &path[..]]
            .concat()
            .join("-");
        std::fs::write(dir.join(format!("{name}.1")), page)?;
        let mut cmd = command();
        for part in &path {
            cmd = cmd.find_subcommand(part).expect("listed").clone();
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            pending.push([&path[..], &[sub.get_name().to_owned()]].concat());
        }
    }
    Ok(())
}

/// The roff page of the command at `path` (empty: the program), named `wasi-externals-<path…>`.
pub fn man_page(path: &[String]) -> Option<Vec<u8>> {
    let mut cmd = command();
    let mut name = String::from("wasi-externals");
    for part in path {
        cmd = cmd
            .find_subcommand(part)?
            .clone()
            .version(env!("CARGO_PKG_VERSION"));
        name = format!("{name}-{part}");
    }
    let bin_name = [&["wasi-externals".to_owned()], path].concat().join(" ");
    let cmd = cmd.name(name).bin_name(bin_name);
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .expect("writing to memory");
    Some(page)
}

fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot write to stdout: {err}");
            ExitCode::FAILURE
        }
    }
}
