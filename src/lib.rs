//! Build CPython's external C libraries (zlib, bzip2, xz, mpdecimal, sqlite, …)
//! for WASI from pinned, verified sources into one prefix.
//!
//! The data flows one way, and the imports follow it (`scripts/import-graph.sh`
//! prints the module graph and fails on a cycle):
//!
//! - [`config`] (deps.toml) → [`source`] (fetch, verify) and [`recipe`] →
//!   [`plan`] (what to build, by build key) → [`compile`] (build into the
//!   cache) → [`prefix`] (merge, hand over) → [`package`], [`sbom`], [`bundle`];
//! - beneath them [`cache`] (the cache's format, the remote cache) and [`sdk`];
//!   beneath those the leaves: [`key`], [`names`], [`relpath`], [`redact`],
//!   [`report`], [`pkgconfig`], [`Code`] (every error code) and the private
//!   helpers;
//! - [`Error`] gathers every module's error enum; above it [`ops`]: one entry
//!   point per command, each on an [`ops::Session`]; the binary's `cli` only
//!   parses arguments and renders.

// Errors carry the context a person needs (dep, tag, URL, ids); they are rare
// and cold, so their size does not matter.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod archive;
pub mod bundle;
pub mod cache;
mod code;
pub mod compile;
pub mod config;
mod error;
mod fsutil;
pub mod gitref;
pub mod key;
pub mod names;
pub mod ops;
pub mod package;
pub mod pkgconfig;
pub mod plan;
pub mod prefix;
mod process;
pub mod recipe;
pub mod redact;
pub mod relpath;
pub mod report;
pub mod sbom;
pub mod sdk;
pub mod source;
pub mod version;

pub use code::Code;
pub use error::Error;
