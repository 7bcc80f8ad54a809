//! Text analytics' rows: themes as stored, and the per-day theme counts a
//! batch of writes adds or takes away.

use super::from_json;
use crate::error::Result;
use chrono::NaiveDate;
use rapport_core::measure::Tally;
use rapport_core::text::{trend, Sentiment, ThemeDef};
use rapport_core::Id;
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
pub struct ThemeRow {
    id: Id,
    name: String,
    keywords_en: String,
    keywords_es: String,
}

impl ThemeRow {
    pub fn theme(self) -> Result<ThemeDef> {
        Ok(ThemeDef {
            id: self.id,
            name: self.name,
            keywords_en: from_json("theme keywords", &self.keywords_en)?,
            keywords_es: from_json("theme keywords", &self.keywords_es)?,
        })
    }
}

pub const THEME_COLUMNS: &str = "id, name, keywords_en, keywords_es";

/// A commented response's themes as they count: at its touchpoint, on its
/// (UTC) day, with its comment's sentiment.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub response: Id,
    pub touchpoint: Id,
    pub day: NaiveDate,
    pub score: f64,
    /// Written beside each mention, with the touchpoint
    /// (`response_themes.sentiment_label`).
    pub label: Sentiment,
    pub themes: Vec<Id>,
}

/// A `theme_days` key: (theme, touchpoint, day).
pub type ThemeDay = (Id, Id, NaiveDate);

/// Changes to `theme_days`, summed per (theme, touchpoint, day): how many
/// comments and their sentiment's sum.
#[derive(Debug, Default, PartialEq)]
pub struct ThemeDeltas(pub BTreeMap<ThemeDay, (i64, f64)>);

impl ThemeDeltas {
    /// Adds (`sign` 1) or takes away (−1) a tagged response's counts.
    pub fn add(&mut self, t: &Tagged, sign: i64) {
        for theme in &t.themes {
            let e = self.0.entry((*theme, t.touchpoint, t.day)).or_default();
            e.0 += sign;
            e.1 += sign as f64 * t.score;
        }
    }

    /// The deltas that change something (adding and then taking away the
    /// same response leaves nothing).
    pub fn nonzero(&self) -> Vec<(&ThemeDay, &(i64, f64))> {
        self.0.iter().filter(|(_, (n, sum))| *n != 0 || sum.abs() > 1e-12).collect()
    }
}

/// Changes to `sentiment_days`, summed per (touchpoint, day).
#[derive(Debug, Default, PartialEq)]
pub struct SentimentDeltas(pub BTreeMap<(Id, NaiveDate), Tally>);

impl SentimentDeltas {
    /// Adds (`sign` 1) or takes away (−1) one comment's score.
    pub fn add(&mut self, touchpoint: Id, day: NaiveDate, score: f64, sign: i64) {
        let one = trend::tally(score);
        let t = self.0.entry((touchpoint, day)).or_default();
        t.n += sign;
        t.sum += sign * one.sum;
        t.sum_sq += sign * one.sum_sq;
    }

    pub fn nonzero(&self) -> Vec<(&(Id, NaiveDate), &Tally)> {
        self.0.iter().filter(|(_, t)| t.n != 0 || t.sum != 0 || t.sum_sq != 0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_sum_per_theme_touchpoint_and_day() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let t = |response, score, themes: Vec<Id>| Tagged {
            response,
            touchpoint: 7,
            day,
            score,
            label: Sentiment::Neutral,
            themes,
        };
        let mut d = ThemeDeltas::default();
        d.add(&t(1, -0.5, vec![10, 11]), 1);
        d.add(&t(2, 0.25, vec![10]), 1);
        assert_eq!(d.0[&(10, 7, day)], (2, -0.25));
        assert_eq!(d.0[&(11, 7, day)], (1, -0.5));
        d.add(&t(1, -0.5, vec![10, 11]), -1);
        assert_eq!(d.nonzero().len(), 1, "{d:?}");
        assert_eq!(d.0[&(10, 7, day)], (1, 0.25));
    }

    #[test]
    fn sentiment_deltas_add_and_take_away_exactly() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let mut d = SentimentDeltas::default();
        d.add(7, day, 0.5, 1);
        d.add(7, day, -0.25, 1);
        assert_eq!(d.0[&(7, day)], Tally { n: 2, sum: 250, sum_sq: 312_500, high: 0, low: 0 });
        d.add(7, day, 0.5, -1);
        d.add(7, day, -0.25, -1);
        assert!(d.nonzero().is_empty());
    }
}
