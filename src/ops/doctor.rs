//! `doctor`: check the whole setup and say how to fix each problem.
//!
//! Every check is a small function returning a [`Check`]; a check that needs
//! something an earlier one could not provide (no deps.toml, no SDK) is
//! [`CheckStatus::Skipped`]. Nothing here changes the setup, except the
//! temporary file that proves the cache folder writable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cache::Cache;
use crate::config::Config;
use crate::fsutil;
use crate::ops::{default_prefix, Session};
use crate::prefix::{Prefix, SdkIdentity};
use crate::recipe::RecipeBook;
use crate::sdk::{Sdk, SdkDirs, SdkError};
use crate::source::{self, Remotes, SourceError, SourceStore};
use crate::Error;

/// Below this many free bytes on the cache's or the prefix's file system, `doctor` warns.
pub const LOW_DISK_SPACE: u64 = 2 << 30;

/// What `doctor` looks at besides the session (its deps.toml, `--python`
/// profile, overlays, cache, `--source` and `--offline`): what `build` would use.
pub struct DoctorOptions {
    /// `--wasi-sdk` folders and `N=DIR` pairs, as `build` takes them.
    pub wasi_sdk: SdkDirs,
    /// `--prefix`; without it the default prefix is checked if it exists.
    pub prefix: Option<PathBuf>,
}

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    /// Fine.
    Ok,
    /// Works, but worth attention (e.g. little disk space).
    Warning,
    /// Will make a build fail: `fix` says what to do.
    Problem,
    /// Not checked, because an earlier check failed.
    Skipped,
}

/// The checks `doctor` runs, in their order; serialised as `config`, `sdk`,
/// `sdk-version`, `sysroot`, `cache`, `sources`, `prefix`, `disk-space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckName {
    /// deps.toml and the recipes load.
    Config,
    /// A WASI SDK is found.
    Sdk,
    /// The SDK is the version the config pins.
    SdkVersion,
    /// The SDK's sysroot has the target's libc.
    Sysroot,
    /// The cache folder is writable.
    Cache,
    /// The pinned sources are cached or reachable.
    Sources,
    /// The prefix matches the config.
    Prefix,
    /// Enough free space for a build.
    DiskSpace,
}

impl CheckName {
    /// The name as `--json` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::Config => "config",
            CheckName::Sdk => "sdk",
            CheckName::SdkVersion => "sdk-version",
            CheckName::Sysroot => "sysroot",
            CheckName::Cache => "cache",
            CheckName::Sources => "sources",
            CheckName::Prefix => "prefix",
            CheckName::DiskSpace => "disk-space",
        }
    }
}

impl std::fmt::Display for CheckName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One line of the `doctor` report (`--json`: one object of the list).
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Which check this is.
    pub check: CheckName,
    /// True for [`CheckStatus::Ok`] and [`CheckStatus::Warning`].
    pub ok: bool,
    /// How it came out.
    pub status: CheckStatus,
    /// What was found.
    pub detail: String,
    /// What to do about it; `None` when there is nothing to do.
    pub fix: Option<String>,
}

impl Check {
    fn new(check: CheckName, status: CheckStatus, detail: String, fix: Option<String>) -> Check {
        let ok = matches!(status, CheckStatus::Ok | CheckStatus::Warning);
        Check {
            check,
            ok,
            status,
            detail,
            fix,
        }
    }

    fn ok(check: CheckName, detail: String) -> Check {
        Check::new(check, CheckStatus::Ok, detail, None)
    }

    fn problem(check: CheckName, detail: String, fix: String) -> Check {
        Check::new(check, CheckStatus::Problem, detail, Some(fix))
    }

    fn skipped(check: CheckName, because: &str) -> Check {
        Check::new(
            check,
            CheckStatus::Skipped,
            format!("not checked: {because}"),
            None,
        )
    }
}

/// Run every check, in order: config, SDK, sysroot, cache, sources, prefix, disk space.
///
/// A broken deps.toml is a finding, not an error; several `--python` are.
pub fn doctor(session: &Session, options: &DoctorOptions) -> Result<Vec<Check>, Error> {
    session.python()?;
    let cache = &session.cache;
    let mut checks = Vec::new();
    let (check, setup) = config_check(session);
    checks.push(check);
    let Some((config, book)) = setup else {
        for name in [CheckName::Sdk, CheckName::SdkVersion, CheckName::Sysroot] {
            checks.push(Check::skipped(name, "deps.toml is unusable"));
        }
        checks.push(cache_check(cache));
        checks.push(Check::skipped(CheckName::Sources, "deps.toml is unusable"));
        checks.push(Check::skipped(CheckName::Prefix, "deps.toml is unusable"));
        checks.push(disk_check(cache, options.prefix.as_deref()));
        return Ok(checks);
    };
    let (check, sdk) = sdk_check(options, &config);
    checks.push(check);
    match &sdk {
        Some(sdk) => {
            checks.push(sdk_version_check(sdk, &config));
            checks.push(sysroot_check(sdk, &config, &book));
        }
        None => {
            checks.push(Check::skipped(CheckName::SdkVersion, "no SDK found"));
            checks.push(Check::skipped(CheckName::Sysroot, "no SDK found"));
        }
    }
    checks.push(cache_check(cache));
    checks.push(sources_check(session, &config));
    let prefix = prefix_to_check(options, &config);
    checks.push(prefix_check(prefix.as_deref(), sdk.as_ref(), &config));
    checks.push(disk_check(cache, prefix.as_deref()));
    Ok(checks)
}

/// deps.toml (and the `--python` profile) reads and validates; the recipe overlays exist.
fn config_check(session: &Session) -> (Check, Option<(Config, RecipeBook)>) {
    let path = session.config_path();
    let fix_config = |detail: String| {
        let fix = format!(
            "fix {} as the message says (`wasi-externals init` writes a starter one)",
            path.display()
        );
        (Check::problem(CheckName::Config, detail, fix), None)
    };
    let config = match session.read_profile() {
        Ok(config) => config,
        Err(err) => return fix_config(err.to_string()),
    };
    let book = match RecipeBook::with_overlays(config.recipes.clone(), config.patches.clone()) {
        Ok(book) => book,
        Err(err) => return fix_config(err.to_string()),
    };
    let profile = config
        .python
        .as_deref()
        .map_or(String::new(), |p| format!(", profile python {p}"));
    let detail = format!(
        "{}: {} deps pinned, WASI SDK {} for {}{profile}",
        path.display(),
        config.deps.len(),
        config.sdk.version,
        config.sdk.target
    );
    (Check::ok(CheckName::Config, detail), Some((config, book)))
}

/// The SDK `build` would use is there and its clang runs.
fn sdk_check(options: &DoctorOptions, config: &Config) -> (Check, Option<Sdk>) {
    match Sdk::discover(&options.wasi_sdk, config.sdk.version) {
        Ok(sdk) => {
            let detail = format!(
                "WASI SDK {} at {} ({})",
                sdk.version,
                sdk.root.display(),
                sdk.clang
            );
            (Check::ok(CheckName::Sdk, detail), Some(sdk))
        }
        Err(err) => {
            let wanted = config.sdk.version;
            let fix = match &err {
                SdkError::Broken { path, .. } | SdkError::Unreadable { path, .. } => format!(
                    "repair or reinstall the SDK at {}, or pass --wasi-sdk DIR of a complete WASI SDK {wanted}",
                    path.display()
                ),
                _ => format!(
                    "install wasi-sdk-{wanted} (e.g. into /opt/wasi-sdk-{wanted}.0), or pass --wasi-sdk DIR / set WASI_SDK_PATH"
                ),
            };
            (Check::problem(CheckName::Sdk, err.to_string(), fix), None)
        }
    }
}

/// The SDK's major version is the one deps.toml pins.
fn sdk_version_check(sdk: &Sdk, config: &Config) -> Check {
    let wanted = config.sdk.version;
    if sdk.major == wanted {
        return Check::ok(
            CheckName::SdkVersion,
            format!("{} matches the pinned SDK {wanted}", sdk.version),
        );
    }
    let pinned_in = match &config.python {
        Some(python) => format!("`sdk` of [python.\"{python}\"]"),
        None => "`[sdk] version`".to_owned(),
    };
    Check::problem(
        CheckName::SdkVersion,
        format!(
            "the SDK at {} is version {}, but deps.toml pins SDK {wanted}",
            sdk.root.display(),
            sdk.version
        ),
        format!(
            "use WASI SDK {wanted} (--wasi-sdk DIR or --wasi-sdk {wanted}=DIR), or change {pinned_in} in deps.toml"
        ),
    )
}

/// `lib/<target>/` of the sysroot holds `libc.a` and every emulation library the recipes link.
fn sysroot_check(sdk: &Sdk, config: &Config, book: &RecipeBook) -> Check {
    let target = &config.sdk.target;
    let dir = sdk.sysroot().join("lib").join(target.as_str());
    if !dir.is_dir() {
        return Check::problem(
            CheckName::Sysroot,
            format!(
                "{} is missing: this SDK has no libraries for {target}",
                dir.display()
            ),
            format!("use an SDK that supports {target}, or change the target in deps.toml"),
        );
    }
    let missing: Vec<String> = needed_libraries(config, book)
        .into_iter()
        .filter(|(file, _)| !dir.join(file).is_file())
        .map(|(file, deps)| format!("{file} (needed by {})", deps.join(", ")))
        .collect();
    if missing.is_empty() {
        return Check::ok(
            CheckName::Sysroot,
            format!("{} has libc.a and the emulation libraries", dir.display()),
        );
    }
    Check::problem(
        CheckName::Sysroot,
        format!("{} lacks {}", dir.display(), missing.join(", ")),
        format!(
            "reinstall WASI SDK {} in full (its sysroot ships libc.a and the libwasi-emulated-*.a libraries), or pass --wasi-sdk DIR of a complete one",
            sdk.version
        ),
    )
}

/// File name in the sysroot → the deps that need it: `libc.a`, and every
/// `-lwasi-emulated-*` of the pinned deps' recipes.
fn needed_libraries(config: &Config, book: &RecipeBook) -> BTreeMap<String, Vec<String>> {
    let mut needed = BTreeMap::new();
    needed.insert("libc.a".to_owned(), vec!["every dep".to_owned()]);
    for (dep, pin) in &config.deps {
        let Ok(recipe) = book.recipe_for(pin) else {
            continue;
        };
        for lib in recipe.libs_private() {
            if let Some(name) = lib.strip_prefix("-lwasi-emulated-") {
                needed
                    .entry(format!("libwasi-emulated-{name}.a"))
                    .or_insert_with(Vec::new)
                    .push(dep.clone());
            }
        }
    }
    needed
}

/// The cache folder can be created and written to.
fn cache_check(cache: &Cache) -> Check {
    let root = cache.root();
    let fix = format!(
        "make {} writable (e.g. `chmod u+w`), or choose another cache with --cache-dir DIR or WASI_EXTERNALS_CACHE",
        root.display()
    );
    if let Err(err) = std::fs::create_dir_all(root) {
        return Check::problem(
            CheckName::Cache,
            format!("cannot create {}: {err}", root.display()),
            fix,
        );
    }
    match fsutil::temp_file_in(root) {
        Ok(_probe) => Check::ok(CheckName::Cache, format!("{} is writable", root.display())),
        Err(err) => Check::problem(
            CheckName::Cache,
            format!("cannot write in {}: {err}", root.display()),
            fix,
        ),
    }
}

/// Every pinned source is cached, or (online) the source has its tag.
fn sources_check(session: &Session, config: &Config) -> Check {
    let pins = config.deps.values().collect::<Vec<_>>();
    let unlocked: Vec<&str> = pins
        .iter()
        .filter(|p| p.locked().is_none())
        .map(|p| p.name.as_str())
        .collect();
    if !unlocked.is_empty() {
        return Check::problem(
            CheckName::Sources,
            format!(
                "not locked (no commit and tree pinned): {}",
                unlocked.join(", ")
            ),
            format!("run `wasi-externals lock {}`", unlocked.join(" ")),
        );
    }
    let store = SourceStore::open_existing(&session.cache.sources())
        .ok()
        .flatten();
    let missing: Vec<crate::gitref::TagName> = pins
        .iter()
        .filter(|pin| !store.as_ref().is_some_and(|s| s.has_pinned(pin)))
        .map(|pin| pin.tag.clone())
        .collect();
    let cached = pins.len() - missing.len();
    if missing.is_empty() {
        return Check::ok(
            CheckName::Sources,
            format!("all {cached} pinned sources are cached"),
        );
    }
    let fetch_fix = "run `wasi-externals fetch` with network access, or import a bundle (`wasi-externals bundle import FILE`)";
    if session.offline {
        let detail = format!("--offline, and not cached: {}", missing.join(", "));
        return Check::problem(CheckName::Sources, detail, fetch_fix.to_owned());
    }
    let remotes = Remotes::new(&config.source, session.source_override.as_deref());
    match source::probe(&missing, &remotes) {
        Ok(url) => Check::ok(
            CheckName::Sources,
            format!("{cached} cached; {} on {url}, not fetched yet", missing.join(", ")),
        ),
        Err(err @ SourceError::TagNotFound { .. }) => Check::problem(
            CheckName::Sources,
            err.to_string(),
            "check the tags in deps.toml against the source (`wasi-externals lock`)".to_owned(),
        ),
        Err(err) => Check::problem(
            CheckName::Sources,
            format!("not cached: {}; {err}", missing.join(", ")),
            format!(
                "check the network and `[source] url` in deps.toml (or --source URL), add `mirrors`, or {fetch_fix}"
            ),
        ),
    }
}

/// The prefix to check: `--prefix`, else the default prefix if it exists.
fn prefix_to_check(options: &DoctorOptions, config: &Config) -> Option<PathBuf> {
    match &options.prefix {
        Some(prefix) => Some(prefix.clone()),
        None => Some(default_prefix(config)).filter(|p| p.exists()),
    }
}

/// The prefix was built with this SDK and target (or is empty).
fn prefix_check(prefix: Option<&Path>, sdk: Option<&Sdk>, config: &Config) -> Check {
    let Some(dir) = prefix else {
        let default = default_prefix(config);
        return Check::ok(
            CheckName::Prefix,
            format!(
                "no --prefix, and the default {} does not exist yet",
                default.display()
            ),
        );
    };
    let manifest = match Prefix::new(dir).and_then(|p| p.manifest()) {
        Ok(Some(manifest)) if !manifest.deps.is_empty() => manifest,
        Ok(_) => {
            return Check::ok(
                CheckName::Prefix,
                format!("{}: nothing built into it yet", dir.display()),
            )
        }
        Err(err) => {
            let fix = format!(
                "remove {} (or the damaged file) and build again",
                dir.display()
            );
            return Check::problem(CheckName::Prefix, err.to_string(), fix);
        }
    };
    let Some(sdk) = sdk else {
        return Check::skipped(CheckName::Prefix, "no SDK found");
    };
    let found = manifest.identity();
    let differs = found.differences(&SdkIdentity::of(sdk, &config.sdk.target), true);
    if differs.is_empty() {
        let detail = format!(
            "{}: built with WASI SDK {} for {}, as this setup",
            dir.display(),
            found.version,
            found.target
        );
        return Check::ok(CheckName::Prefix, detail);
    }
    Check::problem(
        CheckName::Prefix,
        format!(
            "{} was built with WASI SDK {} for {}, not with this SDK ({})",
            dir.display(),
            found.version,
            found.target,
            differs.join("; ")
        ),
        format!(
            "build into another prefix, or rebuild this one with `wasi-externals build --prefix {} --force`",
            dir.display()
        ),
    )
}

/// Free space on the file systems of the cache and the prefix (the working folder without one).
fn disk_check(cache: &Cache, prefix: Option<&Path>) -> Check {
    let here = PathBuf::from(".");
    let places = [("cache", cache.root()), ("prefix", prefix.unwrap_or(&here))];
    let mut details = Vec::new();
    let mut low = Vec::new();
    for (what, path) in places {
        let existing = path
            .ancestors()
            .find(|p| p.exists())
            .unwrap_or(Path::new("/"));
        match fsutil::free_bytes(existing) {
            Ok(free) => {
                let gib = free as f64 / (1u64 << 30) as f64;
                details.push(format!("{what} {}: {gib:.1} GiB free", path.display()));
                if free < LOW_DISK_SPACE {
                    low.push(path.display().to_string());
                }
            }
            Err(err) => details.push(format!("{what} {}: cannot tell ({err})", path.display())),
        }
    }
    let detail = details.join("; ");
    if low.is_empty() {
        return Check::ok(CheckName::DiskSpace, detail);
    }
    Check::new(
        CheckName::DiskSpace,
        CheckStatus::Warning,
        detail,
        Some(format!(
            "free space where {} is (builds need room; `wasi-externals cache gc` removes old cached builds)",
            low.join(" and ")
        )),
    )
}
