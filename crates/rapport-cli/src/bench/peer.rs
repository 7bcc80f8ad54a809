//! Running a benchmark's Python peer (VADER for `bench text`, lifetimes for
//! `bench model`) in the same invocation: the script and its JSON input go
//! to a temporary directory, the interpreter is `$RAPPORT_PYTHON` or
//! `python3`, and the peer prints JSON. A missing interpreter or module is
//! not an error but a reason (the benchmark then reports the peer skipped);
//! a peer that fails otherwise is.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::path::Path;

/// The exit code a peer script uses when its module cannot be imported.
pub const MODULE_MISSING: i32 = 3;

/// A peer: its file name, source, the module it imports and how to install it.
pub struct Peer {
    pub file: &'static str,
    pub source: &'static str,
    pub module: &'static str,
    pub install: &'static str,
}

impl Peer {
    /// The peer's JSON, or why it could not run.
    pub fn run(&self, dir: &Path, spec: &Value) -> Result<Result<Value, String>> {
        let script = dir.join(self.file);
        std::fs::write(&script, self.source).with_context(|| format!("cannot write {}", self.file))?;
        let input = dir.join("input.json");
        std::fs::write(&input, serde_json::to_vec(spec)?).context("cannot write the peer's input")?;
        let python = std::env::var("RAPPORT_PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "python3".into());
        let install = self.install;
        let output = match std::process::Command::new(&python).arg(&script).arg(&input).output() {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Err(format!("{python} not found (set RAPPORT_PYTHON to a Python with `{install}`)")));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot run {python}")),
        };
        if output.status.code() == Some(MODULE_MISSING) {
            return Ok(Err(format!("{python} cannot import {}: {install}", self.module)));
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!("{python} {} failed ({}): {stderr}", self.file, output.status);
        }
        let v: Value = serde_json::from_slice(&output.stdout)
            .with_context(|| format!("{} printed no JSON; stderr: {stderr}", self.file))?;
        Ok(Ok(v))
    }
}
