//! `cache`'s subcommands: their arguments and how their results are shown; the
//! work is `ops::cache_*` (and `ops::cache_push`).

use std::process::ExitCode;
use std::time::Duration;

use wasi_externals::cache::stats::RunStats;
use wasi_externals::cache::Listing;
use wasi_externals::ops::{self, Session};

use super::Output;

/// Inspect and trim the cache of sources and builds
///
/// Example:
///
///   wasi-externals cache list
///   wasi-externals cache gc --max-age-days 7
#[derive(clap::Subcommand)]
#[command(verbatim_doc_comment)]
pub enum Command {
    /// Show the cache's size and every cached build
    ///
    /// Example:
    ///
    ///   wasi-externals cache list --json
    #[command(verbatim_doc_comment)]
    List,
    /// Drop unused builds, broken outputs and leftover folders
    ///
    /// Removes builds unused for a while, broken or incomplete outputs,
    /// leftover work folders and the scratch folders of killed imports.
    ///
    /// Example:
    ///
    ///   wasi-externals cache gc --max-age-days 7
    #[command(verbatim_doc_comment)]
    Gc {
        /// Keep builds used within this many days.
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        max_age_days: u64,
    },
    /// Remove every build (and with --sources the fetched sources too)
    ///
    /// Example:
    ///
    ///   wasi-externals cache clean --sources
    #[command(verbatim_doc_comment)]
    Clean {
        /// Also remove the fetched sources.
        #[arg(long)]
        sources: bool,
    },
    /// Upload every local build and the pinned sources to the remote cache
    ///
    /// Sends every build in the local cache, and a pack of each pinned source
    /// deps.toml names, to the remote cache (read-write mode).
    ///
    /// Example:
    ///
    ///   wasi-externals --remote-cache s3://team-cache/wasi cache push
    #[command(verbatim_doc_comment)]
    Push,
    /// What the remote cache did in the last build: hits, misses, bytes
    ///
    /// Example:
    ///
    ///   wasi-externals cache stats --json
    #[command(verbatim_doc_comment)]
    Stats,
    /// Make an ed25519 key pair for signing remote cache entries
    ///
    /// Writes the secret key (`NAME:BASE64`, mode 0600) to FILE, which must
    /// not exist, and prints the public key. Builders sign what they push
    /// with `--signing-key FILE` (or the key itself in
    /// WASI_EXTERNALS_SIGNING_KEY); consumers list the public key in
    /// `[cache] trusted-keys` (or --trusted-key) and then install only
    /// builds signed by one of their keys.
    ///
    /// Example:
    ///
    ///   wasi-externals cache keygen ci-2026 -o ci-2026.secret
    #[command(verbatim_doc_comment)]
    Keygen {
        /// The key's name, e.g. `ci-2026` (printable ASCII, no spaces or `:`).
        name: String,
        /// Where to write the secret key (a new file).
        #[arg(short, long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
}

fn print_stats(s: &RunStats) {
    println!(
        "last run with a remote cache: {} ({} mode), `{}`",
        s.url, s.mode, s.command
    );
    println!(
        "hits {}, misses {}, rejected {}{}",
        s.hits,
        s.misses,
        s.rejected,
        if s.unreachable {
            ", remote unreachable"
        } else {
            ""
        }
    );
    println!(
        "down {} ({} build(s), {} source pack(s)), up {} ({} build(s), {} source pack(s))",
        mib(s.bytes_down),
        s.builds_down,
        s.sources_down,
        mib(s.bytes_up),
        s.builds_up,
        s.sources_up
    );
    for warning in &s.warnings {
        println!("{warning}");
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

pub fn run(
    session: &Session,
    command: Command,
    output: &Output,
) -> Result<ExitCode, wasi_externals::Error> {
    match command {
        Command::List => output.result(&ops::cache_list(session), print_listing),
        Command::Gc { max_age_days } => {
            let max_age = Duration::from_secs(max_age_days * 86_400);
            output.result(&ops::cache_gc(session, max_age)?, |r| {
                println!(
                    "removed {} build(s), {} broken entr(ies), {} work folder(s), {}",
                    r.builds.len(),
                    r.broken.len(),
                    r.work_dirs,
                    mib(r.bytes)
                )
            });
        }
        Command::Clean { sources } => output.result(&ops::cache_clean(session, sources)?, |r| {
            println!(
                "removed {} build(s){}, {}",
                r.builds.len(),
                if r.sources { " and the sources" } else { "" },
                mib(r.bytes)
            )
        }),
        Command::Push => output.result(&ops::cache_push(session)?, |r| {
            println!(
                "pushed {} build(s) and {} source pack(s) to {}, {} up",
                r.builds,
                r.sources,
                r.url,
                mib(r.stats.bytes_up)
            )
        }),
        Command::Stats => output.result(&ops::cache_stats(session)?, print_stats),
        Command::Keygen { name, out } => output.result(&ops::cache_keygen(&name, &out)?, |p| {
            println!("secret key written to {}", p.secret_key_file.display());
            println!("public key (for `[cache] trusted-keys`): {}", p.public_key);
        }),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_listing(l: &Listing) {
    println!("cache {}", l.root.display());
    println!(
        "sources {}, work {}",
        mib(l.sources_bytes),
        mib(l.work_bytes)
    );
    for b in &l.builds {
        println!(
            "{:<10} {} {:>10} idle {}h",
            b.dep,
            b.key.short(),
            mib(b.bytes),
            b.idle_seconds / 3600
        );
    }
    for b in &l.broken {
        println!("broken     {}: {}", b.path.display(), b.problem);
    }
    if !l.broken.is_empty() {
        println!("`wasi-externals cache gc` removes the broken entries");
    }
}
