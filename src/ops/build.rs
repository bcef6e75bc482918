use std::path::PathBuf;
use std::sync::atomic::Ordering;

use serde::Serialize;

use crate::build::{self, Toolchain};
use crate::ops::Context;
use crate::plan::{self, Action, DepPlan};
use crate::prefix::Prefix;
use crate::report::Event;
use crate::sdk::Sdk;
use crate::source::SourceError;
use crate::Error;

/// What [`build()`] builds, where, and with what.
pub struct BuildOptions {
    /// Build only these deps; all when empty (unsupported ones are then skipped).
    pub deps: Vec<String>,
    /// Install into this folder.
    pub prefix: PathBuf,
    /// `--wasi-sdk`; otherwise `$WASI_SDK_PATH` and `/opt` are searched.
    pub wasi_sdk: Option<PathBuf>,
    /// The job budget shared by all builds and their `make -j`.
    pub jobs: usize,
    /// Build with an SDK whose major version differs from deps.toml's.
    pub allow_sdk_mismatch: bool,
    /// Only say what would happen.
    pub dry_run: bool,
}

/// What [`build()`] did: its `--json` output.
#[derive(Debug, Serialize)]
pub struct BuildReport {
    /// The prefix, made absolute.
    pub prefix: PathBuf,
    /// The WASI SDK folder used.
    pub sdk: PathBuf,
    /// The WASI SDK's version, from its `VERSION` file.
    pub sdk_version: String,
    /// The WASI target triple, e.g. `wasm32-wasip1`.
    pub target: String,
    /// Nothing was built: `deps` holds the planned actions.
    pub dry_run: bool,
    /// One entry per dependency, in the order they were named.
    pub deps: Vec<DepReport>,
}

impl BuildReport {
    /// The dependencies that failed.
    pub fn failed(&self) -> impl Iterator<Item = &DepReport> {
        self.deps.iter().filter(|d| d.status == "failed")
    }
}

/// One dependency's outcome in a [`BuildReport`].
#[derive(Debug, Serialize)]
pub struct DepReport {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The upstream version: the tag without its `<dep>-` prefix.
    pub version: String,
    /// `built`, `cached`, `skipped` or `failed`; with --dry-run the planned action.
    pub status: String,
    /// Wall-clock time in seconds.
    pub seconds: f64,
    /// The build key: a hash of everything that can change the output.
    pub key: String,
    /// Why: the plan's reason, the skip reason, or the failure with its log tail.
    pub detail: String,
    /// Log of a failed build.
    pub log: Option<PathBuf>,
}

/// Fetch what is missing, build what the cache lacks, and merge every complete build into the prefix.
pub fn build(ctx: &Context, options: &BuildOptions) -> Result<BuildReport, Error> {
    let pins = ctx.config.select(&options.deps)?;
    let sdk = Sdk::discover(options.wasi_sdk.as_deref(), ctx.config.sdk.version)?;
    if let Some(warning) = sdk.check_version(ctx.config.sdk.version, options.allow_sdk_mismatch)? {
        ctx.reporter.event(Event::Note { message: &warning });
    }
    let target = ctx.config.sdk.target.as_str();
    let prefix = Prefix::new(&options.prefix)?;
    let plans = plan::plan(
        &ctx.config,
        &ctx.recipes()?,
        &pins,
        &sdk,
        &ctx.cache,
        !options.deps.is_empty(),
    )?;
    let mut report = BuildReport {
        prefix: prefix.root().to_owned(),
        sdk: sdk.root.clone(),
        sdk_version: sdk.version.clone(),
        target: target.to_owned(),
        dry_run: options.dry_run,
        deps: Vec::new(),
    };
    if options.dry_run {
        report.deps = plans
            .iter()
            .map(|p| dep_report(p, planned(p.action), 0.0, p.reason(), None))
            .collect();
        return Ok(report);
    }
    prefix.check_compatible(&sdk, target)?;
    let _cache_lock = ctx.cache.lock(ctx.reporter)?;
    let _prefix_lock = prefix.lock(ctx.reporter)?;

    let store = ctx.open_sources()?;
    let to_build: Vec<_> = plans
        .iter()
        .filter(|p| p.action == Action::Build)
        .map(|p| &p.pin)
        .collect();
    store.fetch(
        &to_build,
        &ctx.remotes(),
        ctx.offline,
        ctx.reporter,
        &ctx.interrupt,
    )?;

    let jobserver =
        jobserver::Client::new(options.jobs.max(1)).map_err(build::BuildError::Jobserver)?;
    let tools = Toolchain {
        sdk: &sdk,
        target,
        sources: &store,
        cache: &ctx.cache,
        jobserver: &jobserver,
        interrupt: &ctx.interrupt,
    };
    let outcomes = build::build_all(&plans, &tools, ctx.reporter);
    if ctx.interrupt.load(Ordering::SeqCst) {
        return Err(SourceError::Interrupted.into());
    }
    for (plan, outcome) in plans.iter().zip(outcomes) {
        debug_assert_eq!(plan.pin.name, outcome.dep);
        let entry = match outcome.result {
            Ok(Action::Skip) => {
                ctx.reporter.event(Event::BuildFinished {
                    dep: &plan.pin.name,
                    status: "skipped",
                    seconds: 0.0,
                });
                dep_report(plan, "skipped", 0.0, plan.reason(), None)
            }
            Ok(action) => {
                prefix.install(plan, &ctx.cache, &sdk, target)?;
                let status = if action == Action::UseCached {
                    "cached"
                } else {
                    "built"
                };
                if action == Action::UseCached {
                    ctx.reporter.event(Event::BuildFinished {
                        dep: &plan.pin.name,
                        status,
                        seconds: 0.0,
                    });
                }
                dep_report(plan, status, outcome.seconds, plan.reason(), None)
            }
            Err(err) => {
                let log = match &err {
                    build::BuildError::Failed { log, .. } => Some(log.clone()),
                    _ => None,
                };
                dep_report(plan, "failed", outcome.seconds, err.to_string(), log)
            }
        };
        report.deps.push(entry);
    }
    Ok(report)
}

fn planned(action: Action) -> &'static str {
    match action {
        Action::UseCached => "use-cache",
        Action::Build => "build",
        Action::Skip => "skip",
    }
}

fn dep_report(
    plan: &DepPlan,
    status: &str,
    seconds: f64,
    detail: String,
    log: Option<PathBuf>,
) -> DepReport {
    DepReport {
        dep: plan.pin.name.clone(),
        version: plan.pin.version().to_owned(),
        status: status.to_owned(),
        seconds,
        key: plan.key.clone(),
        detail,
        log,
    }
}
