//! Tests of the text analyser, by subject. `eval` reads the labelled
//! Spanish set; speed and accuracy against VADER are `rapport bench text`.

mod english;
mod eval;
mod flags;
mod robustness;
mod spanish;
mod structure;
mod themes;
mod vader_parity;
