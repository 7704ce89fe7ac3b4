//! The server's shared cache: a Redis layer ([`RedisStore`]) added to the LLM generator's
//! layers, right behind its in-process memory layer and before the cassette directory.
//!
//! Every replica that points `REDIS_URL` at the same Redis serves the same bytes for the same
//! request: an answer made by one is a cache hit on the others. Redis going away never fails
//! a request (see [`redis`]): the layer degrades, reports it in `/health` and `HealthCheck`,
//! counts the errors in `testdata_redis_errors_total`, and comes back by itself.

pub mod admin;
pub mod codec;
pub mod redis;

pub use self::redis::{KeyInfo, LinkState, RedisSettings, RedisStore};
