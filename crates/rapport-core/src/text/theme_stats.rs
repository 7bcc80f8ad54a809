//! A theme over a period against the period before: how often comments
//! mentioned it, the mean sentiment of those comments, and the change.

use crate::Id;
use serde::Serialize;

/// Mentions in one period: how many comments and their sentiment's sum.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mentions {
    pub n: i64,
    pub sentiment_sum: f64,
}

impl Mentions {
    /// The mean sentiment (−1..1) of the mentioning comments; `None` without any.
    pub fn mean_sentiment(&self) -> Option<f64> {
        (self.n > 0).then(|| (self.sentiment_sum / self.n as f64).clamp(-1.0, 1.0))
    }
}

/// One theme's row of a theme table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemeStat {
    pub theme_id: Id,
    pub name: String,
    /// Comments mentioning it in the period.
    pub n: i64,
    /// Their mean sentiment (−1..1); null without mentions.
    pub mean_sentiment: Option<f64>,
    /// Comments mentioning it in the period of the same length before.
    pub previous_n: i64,
    /// The change in mentions, in percent of the period before; null when
    /// there were none before.
    pub change_pct: Option<f64>,
    /// The change in mean sentiment; null unless both periods have mentions.
    pub sentiment_change: Option<f64>,
}

impl ThemeStat {
    pub fn of(theme_id: Id, name: String, now: Mentions, before: Mentions) -> ThemeStat {
        let change_pct = (before.n > 0).then(|| (now.n - before.n) as f64 * 100.0 / before.n as f64);
        let sentiment_change = match (now.mean_sentiment(), before.mean_sentiment()) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        };
        ThemeStat {
            theme_id,
            name,
            n: now.n,
            mean_sentiment: now.mean_sentiment(),
            previous_n: before.n,
            change_pct,
            sentiment_change,
        }
    }
}

/// Most mentioned first, then by name.
pub fn rank(stats: &mut [ThemeStat]) {
    stats.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.name.cmp(&b.name)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(n: i64, sum: f64) -> Mentions {
        Mentions { n, sentiment_sum: sum }
    }

    #[test]
    fn a_period_against_the_one_before() {
        let s = ThemeStat::of(1, "Delivery".into(), m(15, -6.0), m(10, -2.0));
        assert_eq!((s.n, s.previous_n), (15, 10));
        assert_eq!(s.change_pct, Some(50.0));
        assert!((s.mean_sentiment.unwrap() + 0.4).abs() < 1e-12);
        assert!((s.sentiment_change.unwrap() + 0.2).abs() < 1e-12, "from −0.2 to −0.4");
        let new = ThemeStat::of(2, "Staff".into(), m(3, 1.5), m(0, 0.0));
        assert_eq!((new.change_pct, new.sentiment_change), (None, None), "nothing to compare with");
        let gone = ThemeStat::of(3, "Price".into(), m(0, 0.0), m(4, -1.0));
        assert_eq!((gone.mean_sentiment, gone.change_pct), (None, Some(-100.0)));
    }

    #[test]
    fn ranked_by_mentions_then_name() {
        let mut v = vec![
            ThemeStat::of(1, "b".into(), m(2, 0.0), m(0, 0.0)),
            ThemeStat::of(2, "a".into(), m(2, 0.0), m(0, 0.0)),
            ThemeStat::of(3, "c".into(), m(9, 0.0), m(0, 0.0)),
        ];
        rank(&mut v);
        assert_eq!(v.iter().map(|s| s.theme_id).collect::<Vec<_>>(), [3, 2, 1]);
    }
}
