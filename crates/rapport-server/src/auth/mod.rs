//! Who is asking: passwords, secrets, sessions and the `Principal` extractor.
//!
//! Policy: a request is authenticated by `Authorization: Bearer <token>` (API
//! clients) or by the `rapport_session` cookie (the web UI). Only hashes of
//! secrets are stored. Every handler takes a `Principal` and calls
//! `require(Permission)` before touching data; the organization it acts on is
//! always the principal's own.

pub mod link;
pub mod password;
mod principal;
pub mod secret;
pub mod session;

pub use principal::{Principal, Via};
