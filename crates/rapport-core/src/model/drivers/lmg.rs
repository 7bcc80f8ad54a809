//! LMG (Lindeman, Merenda and Gold 1980), which is the Shapley value of R²
//! (Shapley value regression) and the general dominance of Budescu (1993):
//! a driver's increase in R² when it joins the model, averaged over every
//! order in which the drivers could enter. Order-free, so correlated
//! drivers share what they explain together, and the parts sum to R².

/// Each driver's LMG from the R² of every subset (see [`super::r2`]).
///
/// Over orderings, the drivers before j form a subset S of the others with
/// probability |S|!(p−|S|−1)!/p! = 1/(p·C(p−1, |S|)): summing increments by
/// that weight averages first within each subset size, then over sizes, as
/// `relaimpo`, `pingouin` and `dominance-analysis` do.
pub(super) fn lmg(r2: &[f64], p: usize) -> Vec<f64> {
    let weight: Vec<f64> = (0..p).map(|s| 1.0 / (p as f64 * binomial(p - 1, s))).collect();
    (0..p)
        .map(|j| {
            let bit = 1 << j;
            (0..r2.len())
                .filter(|m| m & bit == 0)
                .map(|m| weight[m.count_ones() as usize] * (r2[m | bit] - r2[m]))
                .sum()
        })
        .collect()
}

/// C(n, k), exact in f64 at these sizes (each partial product is itself a
/// binomial coefficient, an integer).
fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::binomial;

    #[test]
    fn binomials() {
        assert_eq!(binomial(14, 7), 3432.0);
        assert_eq!(binomial(5, 0), 1.0);
        assert_eq!(binomial(11, 11), 1.0);
    }
}
