//! Tests of the text analyser, by subject. `eval` and `speed` are ignored
//! (they read the public data sets and time the analyser); run them with
//! `cargo test -p rapport-core --release -- --ignored --nocapture`.

mod english;
mod eval;
mod flags;
mod robustness;
mod spanish;
mod speed;
mod structure;
mod themes;
mod vader_parity;
