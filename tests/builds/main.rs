//! Test binary `builds`: real builds with the real compiler, and real
//! programs linked against the prefix and run under wasmtime. `build` and
//! `env`, the built-in recipes and overlays, profiles per Python version, the
//! two test SDKs side by side, a prefix's SDK, the build cache, offline
//! bundles, packages and SBOMs.
//!
//! One binary per concern (see the README's Tests section): each is linked
//! once, against the crate and the one shared `tests/support`. A new test
//! goes into the module of its concern, or a new module listed here.

#[path = "../support/mod.rs"]
mod support;

mod build;
mod cache_offline;
mod openssl;
mod outdated;
mod prefix_sdk;
mod profiles;
mod real_world;
mod sdks;
mod zlib_ng;
