//! Helpers shared by the four integration test binaries (`tests/<binary>/main.rs`),
//! each of which includes this one copy with
//! `#[path = "../support/mod.rs"] mod support;`. Helpers live here once, so
//! that a change of the command line or of a format is made in one place.
#![allow(dead_code)]

pub mod fixture;
pub mod git_http;
pub mod hostile;
pub mod object_servers;
pub mod release_server;
pub mod roundtrip;
pub mod shadow;
pub mod warm;
