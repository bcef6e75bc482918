//! Mutation fuzzing of the readers of untrusted input (deps.toml, recipes,
//! bundles): every mutant is refused or accepted, never a panic. Bounded in
//! count and time; the seed is printed so a failure can be replayed with
//! `WASI_EXTERNALS_FUZZ_SEED=N`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use crate::support::fixture::repo_root;
use crate::support::hostile::HostileBundle;
use wasi_externals::cache::Cache;
use wasi_externals::config::Config;
use wasi_externals::ops::Session;
use wasi_externals::recipe::{Origin, Recipe};
use wasi_externals::report::{Event, Reporter};

/// Pieces that tend to reach the corners of TOML, paths and globs.
const DICTIONARY: &[&str] = &[
    "[",
    "]",
    "\"",
    "=",
    "\n",
    "'",
    "*",
    "..",
    "/",
    "é",
    "ü",
    "\\",
    "{",
    "}",
    ",",
    "-",
    ".",
    "0",
    "\u{0}",
    "[[quirks]]",
    "versions = [\"*\"]",
    "tag = \"x-1é\"",
    "\"\"\"",
];

struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let seed = std::env::var("WASI_EXTERNALS_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH);
                now.unwrap().as_nanos() as u64
            });
        println!("seed {seed}");
        Rng(seed | 1)
    }

    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below.max(1) as u64) as usize
    }

    /// `bytes` with one to four random edits: a flip, a cut, or a dictionary word.
    fn mutate(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for _ in 0..=self.next(4) {
            let at = self.next(out.len() + 1);
            match self.next(3) {
                0 if at < out.len() => out[at] ^= 1 << self.next(8),
                1 if at < out.len() => {
                    let end = (at + self.next(16)).min(out.len());
                    out.drain(at..end);
                }
                _ => {
                    let word = DICTIONARY[self.next(DICTIONARY.len())].as_bytes();
                    out.splice(at..at, word.iter().copied());
                }
            }
        }
        out
    }
}

/// Run `check` on mutants of `seed` until `rounds` or `budget` is spent; a panic fails with the input.
fn fuzz(rng: &mut Rng, seed: &[u8], rounds: usize, budget: Duration, check: impl Fn(&[u8])) {
    let start = Instant::now();
    for _ in 0..rounds {
        if start.elapsed() > budget {
            break;
        }
        let input = rng.mutate(seed);
        if catch_unwind(AssertUnwindSafe(|| check(&input))).is_err() {
            panic!("panicked on input:\n{}", String::from_utf8_lossy(&input));
        }
    }
}

#[test]
fn mutated_configs_and_recipes_never_panic() {
    let mut rng = Rng::seeded();
    let config = std::fs::read(repo_root().join("deps.toml")).unwrap();
    fuzz(&mut rng, &config, 3000, Duration::from_secs(15), |input| {
        let text = String::from_utf8_lossy(input);
        if let Ok(config) = Config::parse(Path::new("deps.toml"), &text) {
            for pin in config.deps.values() {
                let _ = pin.version();
            }
        }
    });
    let versions = ["5.2.5", "5.4.1é", "", "*", "3.46.1.0", "ü.1"];
    for entry in std::fs::read_dir(repo_root().join("recipes")).unwrap() {
        let recipe = std::fs::read(entry.unwrap().path()).unwrap();
        fuzz(&mut rng, &recipe, 1000, Duration::from_secs(5), |input| {
            let text = String::from_utf8_lossy(input).into_owned();
            if let Ok(recipe) = Recipe::parse(Origin::BuiltIn, text) {
                for version in versions {
                    let _ = recipe.plan_for(version);
                }
            }
        });
    }
}

struct Quiet;

impl Reporter for Quiet {
    fn event(&self, _event: Event<'_>) {}
}

#[test]
fn mutated_bundles_never_panic_and_never_leave_the_cache() {
    let mut rng = Rng::seeded();
    let dir = tempfile::tempdir().unwrap();
    let valid = dir.path().join("valid.bundle");
    HostileBundle::new()
        .file("sources/pack-0.idx", b"not really an index")
        .write(&valid);
    let bytes = std::fs::read(&valid).unwrap();
    let session = Session::new(Cache::new(dir.path().join("cache")), &Quiet);
    let mutant = dir.path().join("mutant.bundle");
    fuzz(&mut rng, &bytes, 400, Duration::from_secs(20), |input| {
        std::fs::write(&mutant, input).unwrap();
        let _ = wasi_externals::ops::bundle_import(&session, &mutant);
    });
    // Nothing but the cache's own folders appeared next to the bundles.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["cache", "mutant.bundle", "valid.bundle"]);
}
