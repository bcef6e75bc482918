use std::path::PathBuf;
use std::sync::atomic::Ordering;

use serde::Serialize;

use crate::build::{self, BuildOutcome, Toolchain};
use crate::cache::CacheLock;
use crate::config::DepPin;
use crate::ops::Context;
use crate::plan::{self, Action, DepPlan};
use crate::prefix::{Prefix, PrefixError};
use crate::report::Event;
use crate::sdk::Sdk;
use crate::source::{SourceError, SourceStore};
use crate::Error;

pub struct BuildOptions {
    /// Build only these deps; all when empty (unsupported ones are then skipped).
    pub deps: Vec<String>,
    pub prefix: PathBuf,
    /// `--wasi-sdk`; otherwise `$WASI_SDK_PATH` and `/opt` are searched.
    pub wasi_sdk: Option<PathBuf>,
    /// The job budget shared by all builds and their `make -j`.
    pub jobs: usize,
    pub allow_sdk_mismatch: bool,
    /// Only say what would happen.
    pub dry_run: bool,
}

#[derive(Debug, Serialize)]
pub struct BuildReport {
    pub prefix: PathBuf,
    pub sdk: PathBuf,
    pub sdk_version: String,
    pub target: String,
    pub dry_run: bool,
    pub deps: Vec<DepReport>,
}

impl BuildReport {
    pub fn failed(&self) -> impl Iterator<Item = &DepReport> {
        self.deps.iter().filter(|d| d.status == "failed")
    }
}

#[derive(Debug, Serialize)]
pub struct DepReport {
    pub dep: String,
    pub version: String,
    /// `built`, `cached`, `skipped` or `failed`; with --dry-run the planned action.
    pub status: String,
    pub seconds: f64,
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
    let cache_lock = ctx.cache.lock(ctx.reporter)?;
    let _prefix_lock = prefix.lock(ctx.reporter)?;

    let store = ctx.open_sources()?;
    let to_build: Vec<_> = plans
        .iter()
        .filter(|p| p.action == Action::Build)
        .map(|p| &p.pin)
        .collect();
    fetch(ctx, &store, &to_build)?;

    let jobserver =
        jobserver::Client::new(options.jobs.max(1)).map_err(build::BuildError::Jobserver)?;
    let tools = Toolchain {
        sdk: &sdk,
        target,
        sources: &store,
        cache: &ctx.cache,
        patches_dir: &ctx.config.patches_dir,
        jobserver: &jobserver,
        interrupt: &ctx.interrupt,
    };
    let outcomes = build::build_all(&plans, &tools, ctx.reporter);
    if ctx.interrupt.load(Ordering::SeqCst) {
        return Err(SourceError::Interrupted.into());
    }
    let installer = Installer {
        ctx,
        prefix: &prefix,
        tools: &tools,
        lock: &cache_lock,
    };
    for (plan, outcome) in plans.iter().zip(outcomes) {
        debug_assert_eq!(plan.pin.name, outcome.dep);
        report.deps.push(installer.finish(plan, outcome)?);
    }
    Ok(report)
}

/// Merges finished builds into the prefix; rebuilds a cached output that turns out corrupt.
struct Installer<'a> {
    ctx: &'a Context<'a>,
    prefix: &'a Prefix,
    tools: &'a Toolchain<'a>,
    lock: &'a CacheLock,
}

impl Installer<'_> {
    /// Install what `outcome` produced (or report why not).
    fn finish(&self, plan: &DepPlan, outcome: BuildOutcome) -> Result<DepReport, Error> {
        match outcome.result {
            Ok(Action::Skip) => {
                self.finished(plan, "skipped");
                Ok(dep_report(plan, "skipped", 0.0, plan.reason(), None))
            }
            Ok(action) => self.install(plan, action, outcome.seconds),
            Err(err) => Ok(failed(plan, outcome.seconds, err)),
        }
    }

    fn install(&self, plan: &DepPlan, action: Action, seconds: f64) -> Result<DepReport, Error> {
        let tools = self.tools;
        match self
            .prefix
            .install(plan, tools.cache, tools.sdk, tools.target)
        {
            Ok(()) if action == Action::UseCached => {
                self.finished(plan, "cached");
                Ok(dep_report(plan, "cached", 0.0, plan.reason(), None))
            }
            Ok(()) => Ok(dep_report(plan, "built", seconds, plan.reason(), None)),
            Err(err @ PrefixError::CorruptOutput { .. }) if action == Action::UseCached => {
                self.rebuild(plan, &err)
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Evict the corrupt cached output of `plan`, build it again and install that.
    fn rebuild(&self, plan: &DepPlan, corrupt: &PrefixError) -> Result<DepReport, Error> {
        let ctx = self.ctx;
        let dep = &plan.pin.name;
        let message =
            format!("warning: {corrupt}; removed it from the cache and rebuilding `{dep}`");
        ctx.reporter.event(Event::Note { message: &message });
        ctx.cache.evict(self.lock, &plan.key)?;
        fetch(ctx, self.tools.sources, &[&plan.pin])?;
        let mut again = plan.clone();
        again.action = Action::Build;
        let outcome = build::build_all(std::slice::from_ref(&again), self.tools, ctx.reporter)
            .into_iter()
            .next();
        match outcome {
            Some(BuildOutcome {
                result: Ok(_),
                seconds,
                ..
            }) => {
                let tools = self.tools;
                self.prefix
                    .install(&again, tools.cache, tools.sdk, tools.target)?;
                let detail = format!("rebuilt: {corrupt}");
                Ok(dep_report(plan, "built", seconds, detail, None))
            }
            Some(BuildOutcome {
                result: Err(err),
                seconds,
                ..
            }) => Ok(failed(plan, seconds, err)),
            None => Ok(dep_report(plan, "failed", 0.0, message, None)),
        }
    }

    fn finished(&self, plan: &DepPlan, status: &str) {
        self.ctx.reporter.event(Event::BuildFinished {
            dep: &plan.pin.name,
            status,
            seconds: 0.0,
        });
    }
}

/// Fetch the sources of `pins` that the cache lacks.
fn fetch(ctx: &Context, store: &SourceStore, pins: &[&DepPin]) -> Result<(), Error> {
    let remotes = ctx.remotes();
    store.fetch(pins, &remotes, ctx.offline, ctx.reporter, &ctx.interrupt)?;
    Ok(())
}

fn failed(plan: &DepPlan, seconds: f64, err: build::BuildError) -> DepReport {
    let log = match &err {
        build::BuildError::Failed { log, .. } => Some(log.clone()),
        _ => None,
    };
    dep_report(plan, "failed", seconds, err.to_string(), log)
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
        detail,
        log,
    }
}
