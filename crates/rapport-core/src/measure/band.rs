//! The band of a response's score, as the feedback inbox filters by it:
//! detractor / passive / promoter for NPS, low / neutral / high for CSAT
//! (the same classes as the metrics: `Scale::classify`), from the first
//! question of the scale the response answered (`score::answer_tallies`).

use super::score::answer_tallies;
use super::tally::Scale;
use crate::survey::Question;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A score band a list can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Detractor,
    Passive,
    Promoter,
    CsatLow,
    CsatNeutral,
    CsatHigh,
}

impl Band {
    pub const ALL: [Band; 6] =
        [Band::Detractor, Band::Passive, Band::Promoter, Band::CsatLow, Band::CsatNeutral, Band::CsatHigh];

    pub fn key(self) -> &'static str {
        match self {
            Band::Detractor => "detractor",
            Band::Passive => "passive",
            Band::Promoter => "promoter",
            Band::CsatLow => "csat_low",
            Band::CsatNeutral => "csat_neutral",
            Band::CsatHigh => "csat_high",
        }
    }

    pub fn parse(s: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.key() == s)
    }

    /// Its scale (NPS or CSAT) and its stored code there: 1 low, 2 middle,
    /// 3 high.
    pub fn code(self) -> (Scale, i16) {
        match self {
            Band::Detractor => (Scale::Nps, 1),
            Band::Passive => (Scale::Nps, 2),
            Band::Promoter => (Scale::Nps, 3),
            Band::CsatLow => (Scale::Csat, 1),
            Band::CsatNeutral => (Scale::Csat, 2),
            Band::CsatHigh => (Scale::Csat, 3),
        }
    }
}

/// A response's NPS and CSAT band codes (1 low, 2 middle, 3 high), `None`
/// where it answered no question of the scale.
pub fn bands(questions: &[Question], answers: &Map<String, Value>) -> (Option<i16>, Option<i16>) {
    let tallies = answer_tallies(questions, answers);
    let code = |scale: Scale| {
        tallies.iter().find(|(s, _)| *s == scale).map(|(_, t)| match (t.high > 0, t.low > 0) {
            (true, _) => 3,
            (_, true) => 1,
            _ => 2,
        })
    };
    (code(Scale::Nps), code(Scale::Csat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn questions() -> Vec<Question> {
        serde_json::from_value(json!([
            {"key": "nps", "type": "nps", "text": {"en": "NPS", "es": "NPS"}},
            {"key": "csat", "type": "csat", "text": {"en": "CSAT", "es": "CSAT"}}
        ]))
        .unwrap()
    }

    #[test]
    fn bands_follow_the_metrics_classes() {
        let q = questions();
        let b = |v: serde_json::Value| bands(&q, v.as_object().unwrap());
        assert_eq!(b(json!({"nps": 6, "csat": 2})), (Some(1), Some(1)));
        assert_eq!(b(json!({"nps": 7, "csat": 3})), (Some(2), Some(2)));
        assert_eq!(b(json!({"nps": 8})), (Some(2), None));
        assert_eq!(b(json!({"nps": 9, "csat": 4})), (Some(3), Some(3)));
        assert_eq!(b(json!({"nps": 10, "csat": 5})), (Some(3), Some(3)));
        assert_eq!(b(json!({})), (None, None));
        for band in Band::ALL {
            assert_eq!(Band::parse(band.key()), Some(band));
        }
        assert_eq!(Band::parse("fan"), None);
    }
}
