//! Area under the ROC curve: the chance that a randomly chosen churner
//! scores above a randomly chosen stayer, a tie counting half. That is the
//! Mann–Whitney U over the product of the class sizes, computed from one
//! sort, so ranking 10⁶ customers costs one sort.

/// AUC of `(score, churned)` pairs; `None` when either class is empty.
/// Scores should be finite (a NaN sorts past every number).
pub fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|s| s.1).count() as f64;
    let negatives = scored.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    let mut sorted = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Each churner beats the stayers below its score and ties half of those
    // at its score.
    let (mut u, mut below) = (0.0, 0.0);
    for tied in sorted.chunk_by(|a, b| a.0 == b.0) {
        let pos = tied.iter().filter(|s| s.1).count() as f64;
        let neg = tied.len() as f64 - pos;
        u += pos * (below + 0.5 * neg);
        below += neg;
    }
    Some(u / (positives * negatives))
}
