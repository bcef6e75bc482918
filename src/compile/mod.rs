//! Building dependencies in parallel: rayon runs the builds, a jobserver keeps
//! every `make -j` and every build within one budget of `-j N` jobs.

mod executor;
mod output;
mod prepare;
mod runner;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

pub use executor::{Toolchain, SOURCE_DATE_EPOCH};
pub use output::OutputError;
pub use runner::{shell_quote, StepProblem};

use crate::cache::Timings;
use crate::plan::{Action, DepPlan};
use crate::recipe::Style;
use crate::report::{BuildStatus, Event, Reporter};
use crate::source::SourceError;

/// Why one dependency did not build.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A build step exited with an error; the log says why.
    #[error("`{dep}` failed in `{step}`: {problem}\n--- last lines of {} ---\n{tail}\n---", .log.display())]
    Failed {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// The build step that failed, e.g. `configure`.
        step: String,
        /// What went wrong.
        #[source]
        problem: StepProblem,
        /// The build log.
        log: PathBuf,
        /// The last lines of the log.
        tail: String,
    },
    /// Preparing the work folder or storing the output failed.
    #[error("`{dep}`: {what}: {source}")]
    Io {
        /// The dependency's name, as in deps.toml.
        dep: String,
        /// What failed ("creating the log", …).
        what: &'static str,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The source could not be checked out.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The jobserver could not be created.
    #[error("cannot start the jobserver: {0}")]
    Jobserver(#[source] std::io::Error),
}

impl BuildError {
    /// The stable `--json` code for this error.
    pub fn code(&self) -> crate::code::Code {
        use crate::code::Code;
        match self {
            BuildError::Source(e) => e.code(),
            BuildError::Failed { .. } | BuildError::Io { .. } | BuildError::Jobserver(_) => {
                Code::Build
            }
        }
    }

    /// What to do about it, if known (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            BuildError::Source(e) => e.hint(),
            BuildError::Failed { .. } | BuildError::Io { .. } | BuildError::Jobserver(_) => None,
        }
    }
}

/// How one dependency's build ended.
#[derive(Debug)]
pub struct BuildOutcome {
    /// The dependency's name, as in deps.toml.
    pub dep: String,
    /// Wall-clock time in seconds.
    pub seconds: f64,
    /// The action taken, or why it failed.
    pub result: Result<Action, BuildError>,
}

/// Build every plan whose action is [`Action::Build`], at most `jobs` jobs at a time;
/// one outcome per plan, in the order of `plans`.
///
/// Every build runs to its end even when another fails. Longest builds start
/// first (by the last recorded times, else by style), since the slowest one
/// bounds the whole run.
pub fn build_all(
    plans: &[DepPlan],
    tools: &Toolchain,
    reporter: &dyn Reporter,
) -> Vec<BuildOutcome> {
    let mut timings = Timings::load(tools.cache.root());
    let queue = longest_first(plans, &timings);
    let mut outcomes = run_builds(queue, tools, reporter);
    for outcome in &outcomes {
        if outcome.result.is_ok() {
            timings.record(&outcome.dep, outcome.seconds);
        }
    }
    if !outcomes.is_empty() {
        let _ = timings.save(tools.cache.root());
    }
    for plan in plans.iter().filter(|p| p.action != Action::Build) {
        outcomes.push(BuildOutcome {
            dep: plan.pin.name.clone(),
            seconds: 0.0,
            result: Ok(plan.action),
        });
    }
    outcomes.sort_by_key(|o| plans.iter().position(|p| p.pin.name == o.dep));
    outcomes
}

/// The plans to build, the longest first (by the last recorded times, else by style).
fn longest_first<'a>(plans: &'a [DepPlan], timings: &Timings) -> Vec<&'a DepPlan> {
    let mut queue: Vec<&DepPlan> = plans.iter().filter(|p| p.action == Action::Build).collect();
    queue.sort_by(|a, b| {
        let cost = |p: &DepPlan| {
            timings
                .get(&p.pin.name)
                .unwrap_or_else(|| default_cost(&p.build.style))
        };
        cost(b).total_cmp(&cost(a))
    });
    queue
}

/// Build each of `queue` on its own thread, each holding one jobserver token;
/// the outcomes in the order they finish.
fn run_builds(
    queue: Vec<&DepPlan>,
    tools: &Toolchain,
    reporter: &dyn Reporter,
) -> Vec<BuildOutcome> {
    if queue.is_empty() {
        return Vec::new();
    }
    let outcomes = Mutex::new(Vec::new());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(queue.len() + 1)
        .build()
        .expect("a thread pool");
    pool.scope(|scope| {
        for plan in queue {
            // Each build holds one token; `make` takes the rest of the budget as it frees up.
            let token = match tools.jobserver.acquire() {
                Ok(token) => token,
                Err(err) => {
                    outcomes.lock().expect("not poisoned").push(BuildOutcome {
                        dep: plan.pin.name.clone(),
                        seconds: 0.0,
                        result: Err(BuildError::Jobserver(err)),
                    });
                    continue;
                }
            };
            let outcomes = &outcomes;
            scope.spawn(move |_| {
                let outcome = build_one(plan, tools, reporter, token);
                outcomes.lock().expect("not poisoned").push(outcome);
            });
        }
    });
    outcomes.into_inner().expect("not poisoned")
}

/// Build `plan` into the cache, reporting its start and end; `token` is
/// given back to the jobserver as soon as the build ends.
fn build_one(
    plan: &DepPlan,
    tools: &Toolchain,
    reporter: &dyn Reporter,
    token: jobserver::Acquired,
) -> BuildOutcome {
    let dep = plan.pin.name.as_str();
    reporter.event(Event::BuildStarted { dep });
    let started = Instant::now();
    let result = executor::build_into_cache(plan, tools).map(|()| Action::Build);
    drop(token);
    let seconds = started.elapsed().as_secs_f64();
    let status = if result.is_ok() {
        BuildStatus::Built
    } else {
        BuildStatus::Failed
    };
    reporter.event(Event::BuildFinished {
        dep,
        status,
        seconds,
    });
    BuildOutcome {
        dep: dep.to_owned(),
        seconds,
        result,
    }
}

/// A guess of a build's seconds before any was measured.
fn default_cost(style: &Style) -> f64 {
    match style {
        Style::Amalgamation { .. } => 20.0,
        Style::Configure { .. } => 10.0,
        Style::Make => 2.0,
        Style::Unsupported { .. } => 0.0,
    }
}
