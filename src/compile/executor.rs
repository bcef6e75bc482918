//! Building one dependency: a verified source tree, an SDK and a recipe in,
//! a complete output folder in the cache out. Never touches the prefix.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::output;
use super::prepare;
use super::runner::{Runner, StepFailure, StepProblem};
use super::BuildError;
use crate::cache::Cache;
use crate::plan::DepPlan;
use crate::recipe::{Settings, Style};
use crate::sdk::Sdk;
use crate::source::SourceStore;

/// Where `configure`/`make install` believe they install; staged under DESTDIR and rewritten after.
pub const INSTALL_PREFIX: &str = "/wasi-externals-prefix";

/// Fixed timestamp for sources and outputs, so builds do not depend on when they ran.
pub const SOURCE_DATE_EPOCH: i64 = 315_532_800;

/// What one build needs besides its plan.
pub struct Toolchain<'a> {
    /// The SDK that compiles.
    pub sdk: &'a Sdk,
    /// The WASI target triple, e.g. `wasm32-wasip1`.
    pub target: &'a crate::names::TargetTriple,
    /// Where the pinned sources are read from.
    pub sources: &'a SourceStore,
    /// Where outputs land, and builds run.
    pub cache: &'a Cache,
    /// The job budget every build and its `make -j` share.
    pub jobserver: &'a jobserver::Client,
    /// Set on Ctrl-C: builds stop as soon as they can.
    pub interrupt: &'a AtomicBool,
}

/// Build `plan` and store its output in the cache under the plan's key.
pub fn build_into_cache(plan: &DepPlan, tools: &Toolchain) -> Result<(), BuildError> {
    let dep = plan.pin.name.as_str();
    let work = tools.cache.work_dir(dep, &plan.key);
    let io = |what: &'static str, source: std::io::Error| BuildError::Io {
        dep: dep.to_owned(),
        what,
        source,
    };
    crate::cache::stale::reclaim_dir(&work).map_err(|e| io("clearing the work folder", e))?;
    std::fs::create_dir_all(&work).map_err(|e| io("creating the work folder", e))?;
    let src = work.join("src");
    let destdir = work.join("destdir");
    tools.sources.checkout(&plan.pin, &src, tools.interrupt)?;
    let sdk_root =
        prepare::sdk_alias(&tools.sdk.root, &work).map_err(|e| io("linking the SDK", e))?;

    let vars = template_vars(plan, tools, &sdk_root, &work);
    let env = environment(plan, &vars);
    let mut runner = Runner::new(
        work.join("build.log"),
        env,
        tools.jobserver,
        tools.interrupt,
    )
    .map_err(|e| io("creating the log", e))?;
    runner.note(&format!("sdk -> {}", tools.sdk.root.display()));
    let failed = |failure: StepFailure, runner: &Runner| BuildError::Failed {
        dep: dep.to_owned(),
        step: failure.step,
        problem: failure.problem,
        log: runner.log_path.clone(),
        tail: log_tail(&runner.log_path, 20),
    };
    prepare::source(plan, tools, &src, &work, &mut runner).map_err(|f| failed(f, &runner))?;
    run_style(plan, &vars, &src, &destdir, &mut runner).map_err(|f| failed(f, &runner))?;
    let staged = destdir.join(INSTALL_PREFIX.trim_start_matches('/'));
    output::finish(plan, &staged, INSTALL_PREFIX).map_err(|problem| {
        runner.note(&problem.to_string());
        failed(
            StepFailure::new("collect the installed files", problem),
            &runner,
        )
    })?;
    output::store(tools.cache, plan, &staged, &runner.log_path)
        .map_err(|e| io("storing the output in the cache", e))?;
    std::fs::remove_dir_all(&work).map_err(|e| io("removing the work folder", e))?;
    Ok(())
}

/// The complete environment of every step: nothing of the caller's leaks in but `PATH` and `HOME`.
fn environment(plan: &DepPlan, vars: &TemplateVars) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = ["PATH", "HOME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
        .collect();
    for (key, value) in [
        ("CC", vars.cc()),
        ("CPP", format!("{} -E", vars.cc())),
        ("AR", vars.ar.clone()),
        ("RANLIB", vars.ranlib.clone()),
        ("NM", vars.nm.clone()),
        ("CFLAGS", join_words(&vars.cflags)),
        ("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH.to_string()),
        ("ZERO_AR_DATE", "1".into()),
        ("LC_ALL", "C".into()),
        ("TZ", "UTC".into()),
    ] {
        env.push((key.into(), value));
    }
    for (key, value) in &plan.build.settings.env {
        env.retain(|(k, _)| k != key);
        env.push((key.clone(), vars.expand(value)));
    }
    env
}

/// Join flags into one string for `CC`, `CFLAGS` and make variables.
///
/// configure expands these unquoted and splits them on white space, so quoting
/// cannot help: the flags themselves hold none (tool paths go through the
/// path-safe work folder, and recipes may not put white space in flags).
fn join_words(args: &[String]) -> String {
    args.join(" ")
}

/// Values recipes may use as `{name}` in arguments, variables and environment.
///
/// Flags stay lists; they become one string only where a tool takes one
/// (`CC`, `CFLAGS`, make variables).
struct TemplateVars {
    clang: String,
    /// Target and sysroot: what makes `clang` a WASI compiler.
    clang_flags: Vec<String>,
    ar: String,
    ranlib: String,
    nm: String,
    cflags: Vec<String>,
    target: String,
    version: String,
}

impl TemplateVars {
    /// `CC` as configure and make take it: the compiler and its WASI flags in one string.
    fn cc(&self) -> String {
        join_words(&[vec![self.clang.clone()], self.clang_flags.clone()].concat())
    }

    fn expand(&self, text: &str) -> String {
        text.replace("{cc}", &self.cc())
            .replace("{ar}", &self.ar)
            .replace("{ranlib}", &self.ranlib)
            .replace("{cflags}", &join_words(&self.cflags))
            .replace("{target}", &self.target)
            .replace("{version}", &self.version)
            .replace("{prefix}", INSTALL_PREFIX)
    }
}

/// The tools and flags of one build, with the SDK reached through `sdk_root` (its alias in the work folder).
fn template_vars(plan: &DepPlan, tools: &Toolchain, sdk_root: &Path, work: &Path) -> TemplateVars {
    let settings = &plan.build.settings;
    let tool = |name: &str| sdk_root.join("bin").join(name).display().to_string();
    let clang_flags = vec![
        format!("--target={}", tools.target),
        format!(
            "--sysroot={}",
            sdk_root.join("share/wasi-sysroot").display()
        ),
    ];
    // The work folder differs between runs; map it away so outputs do not record it.
    let mut cflags = vec![
        "-O2".to_owned(),
        format!(
            "-ffile-prefix-map={}=/build/{}",
            work.display(),
            plan.pin.name
        ),
    ];
    cflags.extend(settings.cflags.iter().cloned());
    cflags.extend(settings.defines.iter().map(|d| format!("-D{d}")));
    TemplateVars {
        clang: tool("clang"),
        clang_flags,
        ar: tool("llvm-ar"),
        ranlib: tool("llvm-ranlib"),
        nm: tool("llvm-nm"),
        cflags,
        target: tools.target.to_string(),
        version: plan.pin.version().to_owned(),
    }
}

/// Run the recipe's build style in `src`, then copy its listed installs into the staging folder.
fn run_style(
    plan: &DepPlan,
    vars: &TemplateVars,
    src: &Path,
    destdir: &Path,
    runner: &mut Runner,
) -> Result<(), StepFailure> {
    let settings = &plan.build.settings;
    let make_vars: Vec<String> = settings
        .make_vars
        .iter()
        .map(|(k, v)| format!("{k}={}", vars.expand(v)))
        .collect();
    let staged = destdir.join(INSTALL_PREFIX.trim_start_matches('/'));
    match &plan.build.style {
        Style::Configure {
            command,
            install_targets,
        } => {
            let configure = Configure {
                command,
                install_targets,
                make_vars,
            };
            configure.run(settings, vars, src, destdir, runner)?;
        }
        Style::Make => {
            runner.run(
                src,
                "make",
                &[make_vars, settings.make_targets.clone()].concat(),
            )?;
        }
        Style::Amalgamation { sources, library } => {
            amalgamate(sources, library, vars, src, &staged, runner)?;
        }
        Style::Unsupported { reason } => {
            return Err(StepFailure::new(
                "build",
                StepProblem::Unsupported(reason.clone()),
            ))
        }
    }
    install_listed(plan, src, &staged, runner)
}

/// The `configure` style: the configure command, `make`, then `make install` into `DESTDIR`.
struct Configure<'a> {
    command: &'a [String],
    install_targets: &'a [String],
    make_vars: Vec<String>,
}

impl Configure<'_> {
    fn run(
        &self,
        settings: &Settings,
        vars: &TemplateVars,
        src: &Path,
        destdir: &Path,
        runner: &mut Runner,
    ) -> Result<(), StepFailure> {
        let args: Vec<String> = self.command[1..]
            .iter()
            .cloned()
            .chain(settings.configure_args.iter().map(|a| vars.expand(a)))
            .collect();
        runner.run(src, &self.command[0], &args)?;
        runner.run(
            src,
            "make",
            &[self.make_vars.clone(), settings.make_targets.clone()].concat(),
        )?;
        let install = [
            self.make_vars.clone(),
            self.install_targets.to_vec(),
            vec![format!("DESTDIR={}", destdir.display())],
        ]
        .concat();
        runner.run(src, "make", &install)
    }
}

/// The `amalgamation` style: compile each source, archive the objects into
/// `library` and put it into the staged `lib/`.
fn amalgamate(
    sources: &[String],
    library: &str,
    vars: &TemplateVars,
    src: &Path,
    staged: &Path,
    runner: &mut Runner,
) -> Result<(), StepFailure> {
    let mut objects = Vec::new();
    for source in sources {
        let object = format!("{}.o", source.trim_end_matches(".c"));
        let mut args = vars.clang_flags.clone();
        args.extend(vars.cflags.iter().cloned());
        args.extend(["-c".into(), source.clone(), "-o".into(), object.clone()]);
        runner.run(src, &vars.clang, &args)?;
        objects.push(object);
    }
    let ar_args = [vec!["rcsD".to_owned(), library.to_owned()], objects].concat();
    runner.run(src, &vars.ar, &ar_args)?;
    let lib_dir = staged.join("lib");
    std::fs::create_dir_all(&lib_dir)
        .and_then(|()| std::fs::copy(src.join(library), lib_dir.join(library)))
        .map_err(|e| StepFailure::new(format!("install {library}"), e))?;
    Ok(())
}

/// Copy the files the recipe's `install` tables list from `src` into the staging folder.
fn install_listed(
    plan: &DepPlan,
    src: &Path,
    staged: &Path,
    runner: &mut Runner,
) -> Result<(), StepFailure> {
    for install in &plan.build.install {
        let dest = staged.join(&install.to);
        std::fs::create_dir_all(&dest)
            .map_err(|e| StepFailure::new(format!("install into {}", install.to), e))?;
        for file in &install.files {
            let from = src.join(file);
            let name = Path::new(file).file_name().expect("a file name");
            runner.note(&format!("install {file} -> {}/", install.to));
            std::fs::copy(&from, dest.join(name)).map_err(|source| {
                StepFailure::new(
                    format!("install {file}"),
                    StepProblem::File {
                        path: from.clone(),
                        source,
                    },
                )
            })?;
        }
    }
    Ok(())
}

/// The last `lines` lines of a log, for error messages.
pub fn log_tail(path: &PathBuf, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
