//! Who is asking: passwords, secrets, sessions and the `Principal` extractor.
//!
//! Policy: a request is authenticated by `Authorization: Bearer <token>` (API
//! clients) or by the `rapport_session` cookie (the web UI). Only hashes of
//! secrets are stored. Every handler takes a `Principal` and calls
//! `require(Permission)` before touching data; the organization it acts on is
//! always the principal's own.
//!
//! A session cookie is sent by the browser on its own, so a write it
//! authenticates must come from Rapport's own pages: [`origin`] is the one
//! check, used by the web forms and in front of the API. Password sign-ins
//! are throttled per account and client address ([`throttle`]; the client
//! address is [`client`]'s, proxies included).

pub mod client;
pub mod link;
pub mod origin;
pub mod password;
mod principal;
pub mod secret;
pub mod session;
pub mod throttle;
pub mod unsubscribe;

pub use principal::{Principal, Via};
