//! Tests of the text analyser, by subject. `eval` holds ignored tools (run
//! them with `cargo test -p rapport-core --release -- --ignored
//! --nocapture`); speed and accuracy against VADER are `rapport bench text`.

mod english;
mod eval;
mod flags;
mod robustness;
mod spanish;
mod structure;
mod themes;
mod vader_parity;
