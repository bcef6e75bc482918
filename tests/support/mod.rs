//! Helpers shared by the integration tests: include with `mod support;`.
#![allow(dead_code)]

pub mod fixture;
pub mod git_http;
pub mod hostile;
pub mod object_servers;
pub mod release_server;
pub mod roundtrip;
pub mod shadow;
pub mod warm;
