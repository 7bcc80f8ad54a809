//! Rapport's labelled Spanish comments (the accuracy figures on them and on
//! the public English sets are printed by `rapport bench text`, beside
//! Python VADER's; `rapport text analyze` prints the analysis of any lines).
//! Figures only; nothing here is tuned to them.

/// Labelled Spanish comments: `1|0<TAB>text`.
pub(super) fn spanish_set(raw: &str) -> Vec<(String, bool)> {
    raw.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (label, text) = l.split_once('\t')?;
            let label = label.trim();
            (label == "1" || label == "0").then(|| (text.to_string(), label == "1"))
        })
        .collect()
}
