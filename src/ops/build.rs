//! `build`: check every profile's SDK and prefix, fetch what is missing, take
//! what the local or remote cache has, compile the rest under one job budget,
//! and merge each complete build into its prefix.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use serde::Serialize;

use crate::cache::CacheLock;
use crate::compile::{self, BuildOutcome, Toolchain};
use crate::config::{Config, DepPin};
use crate::fsutil::FileLock;
use crate::key::BuildKey;
use crate::ops::remote_cache::Remote;
use crate::ops::Session;
use crate::plan::{self, Action, DepPlan};
use crate::prefix::{Prefix, PrefixError};
use crate::recipe::RecipeBook;
use crate::report::Event;
use crate::sdk::{Sdk, SdkDirs};
use crate::source::SourceStore;
use crate::Error;

/// What [`build()`] builds, where, and with what.
pub struct BuildOptions {
    /// Build only these deps; all when empty (unsupported ones are then skipped).
    pub deps: Vec<String>,
    /// `--prefix`: the prefix; with several profiles the folder holding one
    /// `python-<X>` prefix per profile. `None`: [`default_prefix`].
    pub prefix: Option<PathBuf>,
    /// `--wasi-sdk` folders and `N=DIR` pairs; otherwise `$WASI_SDK_PATH`, `/opt` and the store are searched.
    pub wasi_sdk: SdkDirs,
    /// The job budget shared by all builds and their `make -j`.
    pub jobs: usize,
    /// Build with an SDK whose major version differs from deps.toml's.
    pub allow_sdk_mismatch: bool,
    /// Only say what would happen.
    pub dry_run: bool,
    /// `--force`: a prefix built with another SDK or target is emptied of what
    /// wasi-externals installed (see [`Prefix::remove_managed`]) and rebuilt.
    pub force: bool,
}

/// What [`build()`] did: its `--json` output.
#[derive(Debug, Serialize)]
pub struct BuildReport {
    /// The profile (`--python`) this build is for, if any.
    pub python: Option<String>,
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
        self.deps.iter().filter(|d| d.status == BuildStatus::Failed)
    }
}

pub use crate::report::BuildStatus;

impl BuildStatus {
    /// What `--dry-run` reports for a planned action.
    pub fn planned(action: Action) -> BuildStatus {
        match action {
            Action::UseCached => BuildStatus::UseCache,
            Action::Build => BuildStatus::Build,
            Action::Skip => BuildStatus::Skip,
        }
    }
}

/// One dependency's line in a build report.
#[derive(Debug, Serialize)]
pub struct DepReport {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// The upstream version: the tag without its `<dep>-` prefix.
    pub version: String,
    /// What happened to it (with --dry-run: what would).
    pub status: BuildStatus,
    /// Wall-clock time in seconds.
    pub seconds: f64,
    /// The build key: a hash of everything that can change the output.
    pub key: BuildKey,
    /// Why: the plan's reason, the skip reason, or the failure with its log tail.
    pub detail: String,
    /// Log of a failed build.
    pub log: Option<PathBuf>,
}

/// Where `build` installs without `--prefix`, relative to the working folder:
/// `cross-build/wasi-externals/python-<X>-<target>` for a profile, else
/// `cross-build/wasi-externals/sdk-<N>-<target>`, so two SDKs never share one by accident.
pub fn default_prefix(config: &Config) -> PathBuf {
    let name = match &config.python {
        Some(python) => format!("python-{python}-{}", config.sdk.target),
        None => format!("sdk-{}-{}", config.sdk.version, config.sdk.target),
    };
    Path::new("cross-build").join("wasi-externals").join(name)
}

/// The prefix of `config`'s build: `--prefix` (or `<prefix>/python-<X>` when
/// several profiles build at once), else the default.
fn prefix_for(config: &Config, options: &BuildOptions, several: bool) -> PathBuf {
    match (&options.prefix, &config.python) {
        (Some(parent), Some(python)) if several => parent.join(format!("python-{python}")),
        (Some(prefix), _) => prefix.clone(),
        (None, _) => default_prefix(config),
    }
}

/// Fetch what is missing, build what the cache lacks, and merge every complete build into the prefix.
///
/// The cache and the prefix are locked before anything is planned: a second
/// build waits and then takes the first one's outputs from the cache, `cache
/// gc`/`clean` wait for the build, and two SDKs can never mix in one prefix.
/// This builds the session's one profile (several `--python` are an error here;
/// [`build_profiles`] builds each).
pub fn build(session: &Session, options: &BuildOptions) -> Result<BuildReport, Error> {
    let config = session.profile()?;
    let mut reports = build_configs(session, std::slice::from_ref(config), options)?;
    Ok(reports.pop().expect("one report per config"))
}

/// One profile's build, checked and located before anything is locked or built.
struct Job<'a> {
    config: &'a Config,
    sdk: Sdk,
    prefix: Prefix,
}

/// Find the SDK of `config`, check its version and settle the prefix.
fn prepare<'a>(
    session: &Session,
    config: &'a Config,
    options: &BuildOptions,
    several: bool,
) -> Result<Job<'a>, Error> {
    config.select(&options.deps)?;
    let sdk = Sdk::discover(&options.wasi_sdk, config.sdk.version)?;
    if let Some(warning) = sdk.check_version(config.sdk.version, options.allow_sdk_mismatch)? {
        session.reporter.event(Event::Note { message: &warning });
    }
    let prefix = Prefix::new(&prefix_for(config, options, several))?;
    let python = config
        .python
        .as_deref()
        .map_or(String::new(), |p| format!("python {p}: "));
    let default = if options.prefix.is_none() {
        " (default; --prefix DIR to choose)"
    } else {
        ""
    };
    let message = format!(
        "{python}WASI SDK {} at {} for {}, prefix {}{default}",
        sdk.version,
        sdk.root.display(),
        config.sdk.target,
        prefix.root().display()
    );
    session.reporter.event(Event::Note { message: &message });
    Ok(Job {
        config,
        sdk,
        prefix,
    })
}

impl Job<'_> {
    fn plan(
        &self,
        session: &Session,
        book: &RecipeBook,
        options: &BuildOptions,
    ) -> Result<Vec<DepPlan>, Error> {
        let pins = self.config.select(&options.deps)?;
        let named = !options.deps.is_empty();
        Ok(plan::plan(
            self.config,
            book,
            &pins,
            &self.sdk,
            &session.cache,
            named,
        )?)
    }

    /// Refuse a prefix of another SDK or target, or with `force` empty it first.
    fn settle_prefix(&self, session: &Session, lock: &FileLock, force: bool) -> Result<(), Error> {
        match self
            .prefix
            .check_compatible(&self.sdk, &self.config.sdk.target)
        {
            Err(PrefixError::Mixed { differs, .. }) if force => {
                let removed = self.prefix.remove_managed(lock)?;
                let message = format!(
                    "--force: {} was built with another SDK ({}); removed the {removed} files wasi-externals had installed there",
                    self.prefix.root().display(),
                    differs.join("; ")
                );
                session.reporter.event(Event::Note { message: &message });
                Ok(())
            }
            other => Ok(other?),
        }
    }

    fn report(&self, dry_run: bool) -> BuildReport {
        BuildReport {
            python: self.config.python.clone(),
            prefix: self.prefix.root().to_owned(),
            sdk: self.sdk.root.clone(),
            sdk_version: self.sdk.version.clone(),
            target: self.config.sdk.target.to_string(),
            dry_run,
            deps: Vec::new(),
        }
    }
}

/// Build each of the session's profiles (one per `--python`) into its own
/// prefix, with its own SDK.
///
/// Every profile's SDK and prefix are checked before anything is built; the
/// sources all of them lack are fetched once; the profiles then build one
/// after another under one cache lock and one jobserver budget of `-j N`.
pub fn build_profiles(
    session: &Session,
    options: &BuildOptions,
) -> Result<Vec<BuildReport>, Error> {
    build_configs(session, session.profiles()?, options)
}

fn build_configs(
    session: &Session,
    configs: &[Config],
    options: &BuildOptions,
) -> Result<Vec<BuildReport>, Error> {
    let several = configs.len() > 1;
    let jobs = configs
        .iter()
        .map(|config| prepare(session, config, options, several))
        .collect::<Result<Vec<_>, Error>>()?;
    let book = session.recipe_book()?;
    if options.dry_run {
        // Changes nothing, so it takes no lock: the plan of the moment.
        return jobs
            .iter()
            .map(|job| dry_run(session, job, &book, options))
            .collect();
    }
    let cache_lock = session.cache.lock(session.reporter)?;
    let prefix_locks = jobs
        .iter()
        .map(|job| job.prefix.lock(session.reporter))
        .collect::<Result<Vec<_>, _>>()?;
    for (job, lock) in jobs.iter().zip(&prefix_locks) {
        job.settle_prefix(session, lock, options.force)?;
    }
    let mut plans = Vec::new();
    for job in &jobs {
        plans.push(job.plan(session, &book, options)?);
    }
    // Lookup order: the local cache (in the plan), then the remote cache, then build.
    let remote = Remote::open(session)?;
    for plans in &mut plans {
        remote.fill_builds(&cache_lock, plans)?;
    }
    let store = session.open_sources()?;
    let mut to_build: Vec<&DepPin> = Vec::new();
    for plan in plans.iter().flatten().filter(|p| p.action == Action::Build) {
        if !to_build.iter().any(|pin| pin.tag == plan.pin.tag) {
            to_build.push(&plan.pin);
        }
    }
    remote.fill_sources(&cache_lock, &store, &to_build)?;
    fetch(session, &store, &to_build)?;
    let jobserver =
        jobserver::Client::new(options.jobs.max(1)).map_err(compile::BuildError::Jobserver)?;
    let shared = Shared {
        store: &store,
        jobserver: &jobserver,
        lock: &cache_lock,
        remote: &remote,
    };
    let reports = jobs
        .iter()
        .zip(&plans)
        .map(|(job, plans)| run_job(session, job, plans, &shared))
        .collect();
    remote.finish("build");
    reports
}

/// What every profile's build shares: the sources, the job budget, the cache lock.
struct Shared<'a> {
    store: &'a SourceStore,
    jobserver: &'a jobserver::Client,
    lock: &'a CacheLock,
    remote: &'a Remote<'a>,
}

fn dry_run(
    session: &Session,
    job: &Job,
    book: &RecipeBook,
    options: &BuildOptions,
) -> Result<BuildReport, Error> {
    let planned =
        |p: &DepPlan| dep_report(p, BuildStatus::planned(p.action), 0.0, p.reason(), None);
    let mut report = job.report(true);
    report.deps = job
        .plan(session, book, options)?
        .iter()
        .map(planned)
        .collect();
    Ok(report)
}

/// Build the plans of one profile and merge them into its prefix.
fn run_job(
    session: &Session,
    job: &Job,
    plans: &[DepPlan],
    shared: &Shared,
) -> Result<BuildReport, Error> {
    let tools = Toolchain {
        sdk: &job.sdk,
        target: &job.config.sdk.target,
        sources: shared.store,
        cache: &session.cache,
        jobserver: shared.jobserver,
        interrupt: &session.interrupt,
    };
    let outcomes = compile::build_all(plans, &tools, session.reporter);
    if session.interrupt.load(Ordering::SeqCst) {
        return Err(Error::Interrupted);
    }
    let installer = Installer {
        session,
        prefix: &job.prefix,
        tools: &tools,
        lock: shared.lock,
    };
    let mut report = job.report(false);
    for (plan, outcome) in plans.iter().zip(outcomes) {
        debug_assert_eq!(plan.pin.name, outcome.dep);
        report.deps.push(installer.finish(plan, outcome)?);
    }
    share_built(shared.remote, shared.store, plans, &report)?;
    Ok(report)
}

/// Upload what this run compiled (and its sources) to the remote cache.
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
    remote.upload(store, &keys, &pins)
}

/// Merges finished builds into the prefix; rebuilds a cached output that turns out corrupt.
struct Installer<'a> {
    session: &'a Session<'a>,
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
        let session = self.session;
        let dep = &plan.pin.name;
        let message =
            format!("warning: {corrupt}; removed it from the cache and rebuilding `{dep}`");
        session.reporter.event(Event::Note { message: &message });
        session.cache.evict(self.lock, &plan.key)?;
        fetch(session, self.tools.sources, &[&plan.pin])?;
        let mut again = plan.clone();
        again.action = Action::Build;
        let outcome =
            compile::build_all(std::slice::from_ref(&again), self.tools, session.reporter)
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
        self.session.reporter.event(Event::BuildFinished {
            dep: &plan.pin.name,
            status,
            seconds: 0.0,
        });
    }
}

/// Fetch the sources of `pins` that the cache lacks, and check their tag archives.
fn fetch(session: &Session, store: &SourceStore, pins: &[&DepPin]) -> Result<(), Error> {
    let remotes = session.remotes()?;
    store.fetch(
        pins,
        &remotes,
        session.offline,
        session.reporter,
        &session.interrupt,
    )?;
    store.verify_archives(pins)?;
    Ok(())
}

fn failed(plan: &DepPlan, seconds: f64, err: compile::BuildError) -> DepReport {
    let log = match &err {
        compile::BuildError::Failed { log, .. } => Some(log.clone()),
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
