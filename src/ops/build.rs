use std::path::PathBuf;
use std::sync::atomic::Ordering;

use serde::Serialize;

use crate::build::{self, BuildOutcome, Toolchain};
use crate::cache::CacheLock;
use crate::config::DepPin;
use crate::key::BuildKey;
use crate::ops::remote::Remote;
use crate::ops::Context;
use crate::plan::{self, Action, DepPlan};
use crate::prefix::{Prefix, PrefixError};
use crate::report::Event;
use crate::sdk::Sdk;
use crate::source::SourceStore;
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
        self.deps.iter().filter(|d| d.status == BuildStatus::Failed)
    }
}

/// What a build did with one dependency; with `--dry-run`, what it would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildStatus {
    /// Compiled now and installed.
    Built,
    /// Installed from the cache; nothing compiled.
    Cached,
    /// Not buildable for WASI (the recipe says why).
    Skipped,
    /// The build failed; the prefix keeps what it had for this dep.
    Failed,
    /// `--dry-run`: would compile.
    Build,
    /// `--dry-run`: would install from the cache.
    UseCache,
    /// `--dry-run`: would skip.
    Skip,
}

impl BuildStatus {
    /// What `--dry-run` reports for a planned action.
    pub fn planned(action: Action) -> BuildStatus {
        match action {
            Action::UseCached => BuildStatus::UseCache,
            Action::Build => BuildStatus::Build,
            Action::Skip => BuildStatus::Skip,
        }
    }

    /// The name used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildStatus::Built => "built",
            BuildStatus::Cached => "cached",
            BuildStatus::Skipped => "skipped",
            BuildStatus::Failed => "failed",
            BuildStatus::Build => "build",
            BuildStatus::UseCache => "use-cache",
            BuildStatus::Skip => "skip",
        }
    }
}

/// One dependency's line in a build report.
#[derive(Debug, Serialize)]
pub struct DepReport {
    pub dep: String,
    pub version: String,
    /// What happened to it (with --dry-run: what would).
    pub status: BuildStatus,
    pub seconds: f64,
    /// The build key: a hash of everything that can change the output.
    pub key: BuildKey,
    /// Why: the plan's reason, the skip reason, or the failure with its log tail.
    pub detail: String,
    /// Log of a failed build.
    pub log: Option<PathBuf>,
}

/// Fetch what is missing, build what the cache lacks, and merge every complete build into the prefix.
///
/// The cache and the prefix are locked before anything is planned: a second
/// build waits and then takes the first one's outputs from the cache, `cache
/// gc`/`clean` wait for the build, and two SDKs can never mix in one prefix.
pub fn build(ctx: &Context, options: &BuildOptions) -> Result<BuildReport, Error> {
    let pins = ctx.config.select(&options.deps)?;
    let sdk = Sdk::discover(options.wasi_sdk.as_deref(), ctx.config.sdk.version)?;
    if let Some(warning) = sdk.check_version(ctx.config.sdk.version, options.allow_sdk_mismatch)? {
        ctx.reporter.event(Event::Note { message: &warning });
    }
    let target = ctx.config.sdk.target.as_str();
    let prefix = Prefix::new(&options.prefix)?;
    let book = ctx.recipes()?;
    let plan_all = || {
        let named = !options.deps.is_empty();
        plan::plan(&ctx.config, &book, &pins, &sdk, &ctx.cache, named)
    };
    let mut report = BuildReport {
        prefix: prefix.root().to_owned(),
        sdk: sdk.root.clone(),
        sdk_version: sdk.version.clone(),
        target: target.to_owned(),
        dry_run: options.dry_run,
        deps: Vec::new(),
    };
    if options.dry_run {
        // Changes nothing, so it takes no lock: the plan of the moment.
        let planned =
            |p: &DepPlan| dep_report(p, BuildStatus::planned(p.action), 0.0, p.reason(), None);
        report.deps = plan_all()?.iter().map(planned).collect();
        return Ok(report);
    }
    let cache_lock = ctx.cache.lock(ctx.reporter)?;
    let _prefix_lock = prefix.lock(ctx.reporter)?;
    prefix.check_compatible(&sdk, target)?;
    let mut plans = plan_all()?;
    // Lookup order: the local cache (in the plan), then the remote cache, then build.
    let remote = Remote::open(ctx)?;
    remote.fill_builds(&cache_lock, &mut plans)?;

    let store = ctx.open_sources()?;
    let to_build: Vec<_> = plans
        .iter()
        .filter(|p| p.action == Action::Build)
        .map(|p| &p.pin)
        .collect();
    remote.fill_sources(&cache_lock, &store, &to_build)?;
    fetch(ctx, &store, &to_build)?;

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
        return Err(Error::Interrupted);
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
    share_built(&remote, &store, &plans, &report)?;
    Ok(report)
}

/// Upload what this run compiled (and its sources) to the remote cache; save the run's counters.
fn share_built(
    remote: &Remote,
    store: &SourceStore,
    plans: &[DepPlan],
    report: &BuildReport,
) -> Result<(), Error> {
    let built: Vec<&DepPlan> = report
        .deps
        .iter()
        .filter(|d| d.status == BuildStatus::Built)
        .filter_map(|d| plans.iter().find(|p| p.pin.name == d.dep))
        .collect();
    let keys: Vec<&BuildKey> = built.iter().map(|p| &p.key).collect();
    let pins: Vec<&DepPin> = built.iter().map(|p| &p.pin).collect();
    let result = remote.upload(store, &keys, &pins);
    remote.finish("build");
    result
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
                self.finished(plan, BuildStatus::Skipped);
                Ok(dep_report(
                    plan,
                    BuildStatus::Skipped,
                    0.0,
                    plan.reason(),
                    None,
                ))
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
                self.finished(plan, BuildStatus::Cached);
                Ok(dep_report(
                    plan,
                    BuildStatus::Cached,
                    0.0,
                    plan.reason(),
                    None,
                ))
            }
            Ok(()) => Ok(dep_report(
                plan,
                BuildStatus::Built,
                seconds,
                plan.reason(),
                None,
            )),
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
                Ok(dep_report(plan, BuildStatus::Built, seconds, detail, None))
            }
            Some(BuildOutcome {
                result: Err(err),
                seconds,
                ..
            }) => Ok(failed(plan, seconds, err)),
            None => Ok(dep_report(plan, BuildStatus::Failed, 0.0, message, None)),
        }
    }

    fn finished(&self, plan: &DepPlan, status: BuildStatus) {
        self.ctx.reporter.event(Event::BuildFinished {
            dep: &plan.pin.name,
            status: status.as_str(),
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
    dep_report(plan, BuildStatus::Failed, seconds, err.to_string(), log)
}

fn dep_report(
    plan: &DepPlan,
    status: BuildStatus,
    seconds: f64,
    detail: String,
    log: Option<PathBuf>,
) -> DepReport {
    DepReport {
        dep: plan.pin.name.clone(),
        version: plan.pin.version().to_owned(),
        status,
        seconds,
        key: plan.key.clone(),
        detail,
        log,
    }
}
