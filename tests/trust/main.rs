//! Test binary `trust`: what the tool does when its inputs or its run cannot
//! be trusted. Pins checked against real git over file:// and smart HTTP
//! (`lock`, `fetch`, `status`), hostile bundles and damaged cache entries,
//! Ctrl-C and SIGKILL at any moment, and a crash in the middle of an install.
//!
//! One binary per concern (see the README's Tests section): each is linked
//! once, against the crate and the one shared `tests/support`. A new test
//! goes into the module of its concern, or a new module listed here.

#[path = "../support/mod.rs"]
mod support;

mod faults;
mod fetch_lock;
mod hostile_bundle;
mod install_crash;
