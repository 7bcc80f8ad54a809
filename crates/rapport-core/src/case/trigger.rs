//! Case rules: which feedback opens a case. A rule looks at one response
//! (a score at or below a threshold, a comment containing given words, a
//! comment whose sentiment is at or below a threshold, or an angry one:
//! see `crate::text`) or one event (of given types), optionally only at one
//! touchpoint.
//! Rules are checked in id order; the first that matches names the case.
//!
//! Only fresh feedback opens a case: an item that happened more than
//! [`FOLLOW_UP_GRACE_DAYS`] before it arrived is history (an import, a
//! backfill from another tool). Following it up now would put months-old
//! complaints in the queue with their first-response promise broken
//! before anyone saw them, and would swamp the closed-loop figures with
//! cases nobody could have answered in time.

use crate::measure::Scale;
use crate::text::TextSummary;
use crate::validate::{required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How old feedback may be when it arrives and still open a case: a week
/// covers a survey tool that syncs nightly or a weekend's backlog.
pub const FOLLOW_UP_GRACE_DAYS: i64 = 7;

/// Whether feedback that happened at `at` and arrived at `received` may open
/// (or join) a case: it happened at most [`FOLLOW_UP_GRACE_DAYS`] earlier.
/// Feedback dated after its arrival (a clock ahead) counts as fresh.
pub fn follow_up_fresh(at: DateTime<Utc>, received: DateTime<Utc>) -> bool {
    received - at <= Duration::days(FOLLOW_UP_GRACE_DAYS)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// The response's first question of `scale` scored `at_most` or less.
    Score {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        scale: Scale,
        at_most: i64,
    },
    /// The comment or a free-text answer contains one of `words` (ignoring
    /// case; a word with a space inside matches as a phrase).
    Comment { words: Vec<String> },
    /// An event of one of these types (keys such as `refund`, `custom:x`).
    Event { types: Vec<String> },
    /// The comment's sentiment score (−1..1) is `at_most` or less.
    Sentiment { at_most: f64 },
    /// The comment is angry (the anger flag of `crate::text`).
    Anger,
    /// The comment mentions this theme (its keywords, `crate::text::ThemeMatcher`).
    Theme { theme_id: Id },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRule {
    pub id: Id,
    pub name: String,
    pub trigger: Trigger,
    /// Only feedback about this touchpoint; `None`: any.
    pub touchpoint_id: Option<Id>,
    pub active: bool,
    /// The priority its cases open with (`None`: normal) and their tags.
    #[serde(default)]
    pub priority: Option<super::triage::Priority>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// What a rule can see of one response or event.
#[derive(Debug, Clone, Default)]
pub struct Feedback<'a> {
    /// The value of the first question of each scale the response answered.
    pub scores: Vec<(Scale, i64)>,
    /// The comment and the free-text answers.
    pub texts: Vec<&'a str>,
    /// The event's type key, for an event.
    pub event_type: Option<&'a str>,
    pub touchpoint_id: Option<Id>,
    /// The comment's analysis, for a response with a comment.
    pub text: Option<TextSummary>,
    /// The themes the comment mentions.
    pub themes: Vec<Id>,
}

impl CaseRule {
    pub fn matches(&self, f: &Feedback<'_>) -> bool {
        if !self.active || (self.touchpoint_id.is_some() && self.touchpoint_id != f.touchpoint_id) {
            return false;
        }
        match &self.trigger {
            Trigger::Score { scale, at_most } => f.scores.iter().any(|(s, v)| s == scale && v <= at_most),
            Trigger::Comment { words } => f.texts.iter().any(|t| contains_any(t, words)),
            Trigger::Event { types } => f.event_type.is_some_and(|k| types.iter().any(|t| t == k)),
            Trigger::Sentiment { at_most } => f.text.is_some_and(|t| t.score <= *at_most),
            Trigger::Anger => f.text.is_some_and(|t| t.anger),
            Trigger::Theme { theme_id } => f.themes.contains(theme_id),
        }
    }
}

/// The first active rule (by id) that matches.
pub fn first_match<'r>(rules: &'r [CaseRule], f: &Feedback<'_>) -> Option<&'r CaseRule> {
    rules.iter().filter(|r| r.matches(f)).min_by_key(|r| r.id)
}

/// Whole words ignoring case ("refund" matches "Refund!" but not
/// "refunded"); a phrase with a space matches as a substring.
fn contains_any(text: &str, words: &[String]) -> bool {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    words.iter().any(|w| {
        let w = w.to_lowercase();
        if w.contains(' ') {
            lower.contains(&w)
        } else {
            tokens.contains(&w.as_str())
        }
    })
}

/// A rule as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRuleDraft {
    pub name: Option<String>,
    /// "score", "comment", "event", "sentiment", "anger" or "theme".
    pub kind: Option<String>,
    /// For "score": nps, csat, ces or rating.
    pub scale: Option<String>,
    pub at_most: Option<i64>,
    /// For "comment".
    pub words: Option<Vec<String>>,
    /// For "event".
    pub event_types: Option<Vec<String>>,
    /// For "sentiment": −1 (most negative) to 1.
    pub sentiment_at_most: Option<f64>,
    /// For "theme": the theme's id (checked to be the organization's by storage).
    pub theme_id: Option<Id>,
    pub touchpoint_id: Option<Id>,
    pub active: Option<bool>,
    /// low, normal, high or urgent: the priority its cases open with.
    pub priority: Option<String>,
    /// Tags its cases open with (see `case::triage`).
    pub tags: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseRuleInput {
    pub name: String,
    pub trigger: Trigger,
    pub touchpoint_id: Option<Id>,
    pub active: bool,
    pub priority: Option<super::triage::Priority>,
    pub tags: Vec<String>,
}

impl CaseRuleDraft {
    pub fn validate(&self) -> Result<CaseRuleInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        let trigger = match self.kind.as_deref().map(str::trim) {
            Some("score") => self.score(&mut e),
            Some("comment") => Some(Trigger::Comment { words: list(&mut e, "words", &self.words) }),
            Some("event") => Some(Trigger::Event { types: list(&mut e, "event_types", &self.event_types) }),
            Some("sentiment") => self.sentiment(&mut e),
            Some("anger") => Some(Trigger::Anger),
            Some("theme") => match self.theme_id {
                Some(theme_id) => Some(Trigger::Theme { theme_id }),
                None => {
                    e.add("theme_id", "required", "is required");
                    None
                }
            },
            None | Some("") => {
                e.add("kind", "required", "is required: score, comment, event, sentiment, anger or theme");
                None
            }
            Some(_) => {
                e.add("kind", "invalid", "must be score, comment, event, sentiment, anger or theme");
                None
            }
        };
        let priority = super::triage::Priority::field(&mut e, "priority", self.priority.as_deref());
        let tags = super::triage::tags(&mut e, "tags", self.tags.as_deref().unwrap_or_default());
        let input = trigger.map(|trigger| CaseRuleInput {
            name,
            trigger,
            touchpoint_id: self.touchpoint_id,
            active: self.active.unwrap_or(true),
            priority,
            tags,
        });
        match input {
            Some(i) => e.into_result(i),
            None => Err(e),
        }
    }

    fn sentiment(&self, e: &mut FieldErrors) -> Option<Trigger> {
        match self.sentiment_at_most {
            Some(v) if (-1.0..=1.0).contains(&v) => Some(Trigger::Sentiment { at_most: v }),
            Some(_) => {
                e.add("sentiment_at_most", "out_of_range", "must be between -1 and 1");
                None
            }
            None => {
                e.add("sentiment_at_most", "required", "is required");
                None
            }
        }
    }

    fn score(&self, e: &mut FieldErrors) -> Option<Trigger> {
        let scale = match self.scale.as_deref().and_then(Scale::parse) {
            Some(s) if s != Scale::Feedback => s,
            _ => {
                e.add("scale", "invalid", "must be nps, csat, ces or rating");
                return None;
            }
        };
        let (lo, hi) = match scale {
            Scale::Nps => (0, 10),
            Scale::Csat => (1, 5),
            Scale::Ces => (1, 7),
            _ => (0, 100),
        };
        match self.at_most {
            Some(v) if (lo..=hi).contains(&v) => Some(Trigger::Score { scale, at_most: v }),
            Some(_) => {
                e.add("at_most", "out_of_range", format!("must be between {lo} and {hi} for {}", scale.key()));
                None
            }
            None => {
                e.add("at_most", "required", "is required");
                None
            }
        }
    }
}

/// A non-empty list of trimmed, non-blank entries.
fn list(e: &mut FieldErrors, field: &str, v: &Option<Vec<String>>) -> Vec<String> {
    let out: Vec<String> = v.iter().flatten().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if out.is_empty() {
        e.add(field, "required", "needs at least one entry");
    }
    for (i, s) in out.iter().enumerate() {
        crate::validate::no_nul(e, &format!("{field}[{i}]"), s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_older_than_a_week_when_it_arrives_opens_no_case() {
        let received = DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z").unwrap().with_timezone(&Utc);
        let days = |d: i64| received - Duration::days(d);
        assert!(follow_up_fresh(received, received));
        assert!(follow_up_fresh(days(7), received), "the last day of the grace");
        assert!(!follow_up_fresh(days(7) - Duration::seconds(1), received));
        assert!(!follow_up_fresh(days(400), received));
        assert!(follow_up_fresh(received + Duration::hours(3), received), "a clock ahead");
    }

    fn rule(id: Id, trigger: Trigger) -> CaseRule {
        CaseRule {
            id,
            name: format!("r{id}"),
            trigger,
            touchpoint_id: None,
            active: true,
            priority: None,
            tags: vec![],
        }
    }

    fn detractor() -> CaseRule {
        rule(1, Trigger::Score { scale: Scale::Nps, at_most: 6 })
    }

    #[test]
    fn score_rules_match_at_or_below_the_threshold_of_their_scale() {
        let r = detractor();
        let f = |v| Feedback { scores: vec![(Scale::Nps, v)], ..Default::default() };
        assert!(r.matches(&f(0)));
        assert!(r.matches(&f(6)));
        assert!(!r.matches(&f(7)));
        let csat = Feedback { scores: vec![(Scale::Csat, 1)], ..Default::default() };
        assert!(!r.matches(&csat), "another scale's low score is not an NPS detractor");
    }

    #[test]
    fn comment_rules_match_whole_words_and_phrases_ignoring_case() {
        let r = rule(1, Trigger::Comment { words: vec!["refund".into(), "never again".into()] });
        let f = |t| Feedback { texts: vec![t], ..Default::default() };
        assert!(r.matches(&f("I want a REFUND!")));
        assert!(r.matches(&f("Never again, honestly")));
        assert!(!r.matches(&f("They refunded me quickly")));
        assert!(!r.matches(&f("")));
        let es = rule(2, Trigger::Comment { words: vec!["devolución".into()] });
        assert!(es.matches(&f("Quiero la Devolución ya")));
    }

    #[test]
    fn event_rules_match_their_types_only() {
        let r = rule(1, Trigger::Event { types: vec!["refund".into(), "cancellation".into()] });
        assert!(r.matches(&Feedback { event_type: Some("cancellation"), ..Default::default() }));
        assert!(!r.matches(&Feedback { event_type: Some("purchase"), ..Default::default() }));
        assert!(!r.matches(&Feedback::default()));
    }

    #[test]
    fn touchpoint_scope_and_inactive_rules() {
        let mut r = detractor();
        r.touchpoint_id = Some(5);
        let mut f = Feedback { scores: vec![(Scale::Nps, 2)], touchpoint_id: Some(4), ..Default::default() };
        assert!(!r.matches(&f));
        f.touchpoint_id = Some(5);
        assert!(r.matches(&f));
        r.active = false;
        assert!(!r.matches(&f));
    }

    #[test]
    fn the_lowest_id_among_matching_rules_wins() {
        let rules = vec![
            rule(7, Trigger::Comment { words: vec!["slow".into()] }),
            rule(3, Trigger::Score { scale: Scale::Nps, at_most: 6 }),
        ];
        let f = Feedback { scores: vec![(Scale::Nps, 3)], texts: vec!["slow"], ..Default::default() };
        assert_eq!(first_match(&rules, &f).map(|r| r.id), Some(3));
        assert!(first_match(&rules, &Feedback::default()).is_none());
    }

    #[test]
    fn drafts_are_checked_per_kind() {
        let e = CaseRuleDraft::default().validate().unwrap_err();
        assert_eq!(e.get("name").unwrap().code, "required");
        assert_eq!(e.get("kind").unwrap().code, "required");
        let bad = CaseRuleDraft {
            name: Some("CES".into()),
            kind: Some("score".into()),
            scale: Some("ces".into()),
            at_most: Some(9),
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().get("at_most").unwrap().code, "out_of_range");
        let words = CaseRuleDraft {
            name: Some("w".into()),
            kind: Some("comment".into()),
            words: Some(vec![" ".into()]),
            ..Default::default()
        };
        assert_eq!(words.validate().unwrap_err().get("words").unwrap().code, "required");
        let ok = CaseRuleDraft {
            name: Some("Detractors".into()),
            kind: Some("score".into()),
            scale: Some("nps".into()),
            at_most: Some(6),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.trigger, Trigger::Score { scale: Scale::Nps, at_most: 6 });
        assert!(ok.active);
    }

    #[test]
    fn triggers_serialize_with_their_kind() {
        let t = Trigger::Score { scale: Scale::Csat, at_most: 2 };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"kind":"score","scale":"csat","at_most":2}"#);
        assert_eq!(serde_json::from_str::<Trigger>(&json).unwrap(), t);
    }

    #[test]
    fn sentiment_and_anger_rules_read_the_comment_analysis() {
        use crate::text::{Sentiment, TextSummary};
        let text = |score: f64, anger: bool| Feedback {
            text: Some(TextSummary { score, label: Sentiment::Negative, wow: false, anger }),
            ..Default::default()
        };
        let low = rule(5, Trigger::Sentiment { at_most: -0.5 });
        assert!(low.matches(&text(-0.5, false)));
        assert!(low.matches(&text(-0.9, false)));
        assert!(!low.matches(&text(-0.4, false)));
        assert!(!low.matches(&Feedback::default()), "no comment, no sentiment");
        let angry = rule(6, Trigger::Anger);
        assert!(angry.matches(&text(-0.9, true)));
        assert!(!angry.matches(&text(-0.9, false)));
        let draft = |kind: &str, v: Option<f64>| CaseRuleDraft {
            name: Some("Upset".into()),
            kind: Some(kind.into()),
            sentiment_at_most: v,
            ..Default::default()
        };
        assert_eq!(draft("sentiment", Some(-0.6)).validate().unwrap().trigger, Trigger::Sentiment { at_most: -0.6 });
        assert_eq!(draft("anger", None).validate().unwrap().trigger, Trigger::Anger);
        for bad in [None, Some(-1.5), Some(f64::NAN)] {
            let e = draft("sentiment", bad).validate().unwrap_err();
            assert!(e.get("sentiment_at_most").is_some(), "{bad:?}: {e}");
        }
        let round: Trigger = serde_json::from_str(&serde_json::to_string(&Trigger::Anger).unwrap()).unwrap();
        assert_eq!(round, Trigger::Anger, "stored as JSON");
        let theme = rule(7, Trigger::Theme { theme_id: 3 });
        assert!(theme.matches(&Feedback { themes: vec![1, 3], ..Default::default() }));
        assert!(!theme.matches(&Feedback { themes: vec![1], ..Default::default() }));
        let d = CaseRuleDraft { theme_id: Some(3), ..draft("theme", None) };
        assert_eq!(d.validate().unwrap().trigger, Trigger::Theme { theme_id: 3 });
        assert!(draft("theme", None).validate().unwrap_err().get("theme_id").is_some());
    }
}
