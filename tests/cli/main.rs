//! Test binary `cli`: what the command line promises without building much.
//! Its help, version, completions and man pages, the JSON Schemas of its
//! `--json` outputs, `doctor`'s checks, and mutation fuzzing of the readers
//! of untrusted input.
//!
//! One binary per concern (see the README's Tests section): each is linked
//! once, against the crate and the one shared `tests/support`. A new test
//! goes into the module of its concern, or a new module listed here.

#[path = "../support/mod.rs"]
mod support;

mod cli_docs;
mod doctor;
mod fuzz;
mod schemas;
