//! Helpers shared by the integration tests: include with `mod support;`.

pub mod git_http;
