//! Test binary `remote`: the tool against servers on 127.0.0.1 that stand in
//! for the network. The remote build cache on moto's S3 server and a plain
//! HTTP PUT/GET server, and `sdk install` from a release server.
//!
//! One binary per concern (see the README's Tests section): each is linked
//! once, against the crate and the one shared `tests/support`. A new test
//! goes into the module of its concern, or a new module listed here.

#[path = "../support/mod.rs"]
mod support;

mod remote_cache;
mod sdk_install;
