//! Build CPython's external C libraries (zlib, bzip2, xz, mpdecimal, sqlite, …)
//! for WASI from pinned, verified sources into one prefix.
//!
//! The data flows one way: [`config`] → [`source`] (fetch, verify) → [`compile`]
//! → [`prefix`]. [`ops`] holds one entry point per command.

// Errors carry the context a person needs (dep, tag, URL, ids); they are rare
// and cold, so their size does not matter.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod archive;
pub mod bundle;
pub mod cache;
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

pub use error::{Code, Error};
