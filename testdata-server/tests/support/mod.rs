//! Test support shared by the integration tests.
pub mod fault;
pub mod redis;
