//! What a behaviour is, and how one sent or typed is checked.

use crate::feedback::EventType;
use crate::validate::{no_nul, number_in, optional_text, required_text, FieldErrors};
use crate::Id;
use serde::{Deserialize, Deserializer, Serialize};

/// Longest name, in characters.
pub const NAME_MAX: usize = 120;
/// Longest event type, in characters.
pub const EVENT_TYPE_MAX: usize = 100;
/// The most events a rule may ask for.
pub const COUNT_MAX: i64 = 1000;
/// The longest window, in days (ten years).
pub const WINDOW_MAX: i64 = 3650;
/// The most behaviours an experience may hold.
pub const PER_EXPERIENCE_MAX: usize = 50;

/// Who is eligible in a period (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PerfectBehaviourBase))]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Customers with a matching event in the period.
    #[default]
    Matching,
    /// Customers with any activity (event or response) in the period.
    Active,
}

impl Base {
    pub fn key(self) -> &'static str {
        match self {
            Base::Matching => "matching",
            Base::Active => "active",
        }
    }

    pub fn parse(s: &str) -> Option<Base> {
        [Base::Matching, Base::Active].into_iter().find(|b| b.key() == s)
    }
}

/// The measurable part of a behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// An event type as ingested: `purchase`, `referral`, `custom:NAME`.
    pub event_type: String,
    /// Only events at this touchpoint, when set.
    pub touchpoint_id: Option<Id>,
    /// `N`: matching events needed.
    pub count: i64,
    /// `W`: within this many days; any time when absent.
    pub window_days: Option<i64>,
    pub base: Base,
}

/// A valid behaviour, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviourInput {
    pub name: String,
    /// The Spanish name, when it differs.
    pub name_es: Option<String>,
    pub owner_id: Id,
    /// Target rate, in %.
    pub target: f64,
    pub rule: Rule,
}

/// A behaviour as sent or typed: everything optional, checked by
/// [`BehaviourDraft::validate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PerfectBehaviourBody))]
pub struct BehaviourDraft {
    /// At most 120 characters.
    pub name: Option<String>,
    /// Spanish name (at most 120 characters).
    pub name_es: Option<String>,
    /// The person who owns the behaviour.
    pub owner_id: Option<Id>,
    /// Target rate in % (0..100).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub target: Option<f64>,
    /// Event type: a built-in type or `custom:NAME` (at most 100 characters).
    pub event_type: Option<String>,
    pub touchpoint_id: Option<Id>,
    /// Matching events needed (1..1000).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub count: Option<i64>,
    /// Window in days (1..3650); absent: any time.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
    pub window_days: Option<i64>,
    /// `matching` (default) or `active`.
    pub base: Option<String>,
}

/// A change: absent fields are kept; `touchpoint_id`, `window_days` and
/// `name_es` may be set to null to clear them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PerfectBehaviourPatch))]
pub struct BehaviourPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name_es: Option<Option<String>>,
    pub owner_id: Option<Id>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub target: Option<f64>,
    pub event_type: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub touchpoint_id: Option<Option<Id>>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub count: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 1, maximum = 3650))]
    pub window_days: Option<Option<i64>>,
    pub base: Option<String>,
}

/// A field that was sent, possibly as null.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl BehaviourPatch {
    /// The draft of the behaviour once changed.
    pub fn over(&self, b: &BehaviourInput) -> BehaviourDraft {
        BehaviourDraft {
            name: Some(self.name.clone().unwrap_or_else(|| b.name.clone())),
            name_es: self.name_es.clone().unwrap_or_else(|| b.name_es.clone()),
            owner_id: Some(self.owner_id.unwrap_or(b.owner_id)),
            target: Some(self.target.unwrap_or(b.target)),
            event_type: Some(self.event_type.clone().unwrap_or_else(|| b.rule.event_type.clone())),
            touchpoint_id: self.touchpoint_id.unwrap_or(b.rule.touchpoint_id),
            count: Some(self.count.unwrap_or(b.rule.count)),
            window_days: self.window_days.unwrap_or(b.rule.window_days),
            base: Some(self.base.clone().unwrap_or_else(|| b.rule.base.key().to_string())),
        }
    }
}

/// The behaviour a goal or criterion measures: required with the metric
/// `perfect_behaviour` and refused with any other (recorded on `field`).
/// That it is the organization's is checked by the store.
pub fn behaviour_for(e: &mut FieldErrors, field: &str, metric: crate::metric::Metric, id: Option<Id>) -> Option<Id> {
    match (metric == crate::metric::Metric::PerfectBehaviour, id) {
        (true, None) => {
            e.add(field, "required", "is required with the metric perfect_behaviour");
            None
        }
        (false, Some(_)) => {
            e.add(field, "not_allowed", "only with the metric perfect_behaviour");
            None
        }
        (_, id) => id,
    }
}

fn whole_in(e: &mut FieldErrors, field: &str, v: Option<i64>, max: i64) -> Option<i64> {
    match v {
        Some(n) if !(1..=max).contains(&n) => {
            e.add(field, "out_of_range", format!("must be between 1 and {max}"));
            None
        }
        other => other,
    }
}

impl BehaviourDraft {
    pub fn validate(&self) -> Result<BehaviourInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), NAME_MAX);
        let name_es = optional_text(&mut e, "name_es", self.name_es.as_deref(), NAME_MAX);
        if self.owner_id.is_none() {
            e.add("owner_id", "required", "is required");
        }
        let target = number_in(&mut e, "target", self.target, 0.0, 100.0);
        let event_type = required_text(&mut e, "event_type", self.event_type.as_deref(), EVENT_TYPE_MAX);
        if e.get("event_type").is_none() && EventType::parse(&event_type).is_none() {
            e.add("event_type", "invalid_choice", "must be a known event type or custom:NAME");
        }
        let count = match self.count {
            None => {
                e.add("count", "required", "is required");
                1
            }
            v => whole_in(&mut e, "count", v, COUNT_MAX).unwrap_or(1),
        };
        let window_days = whole_in(&mut e, "window_days", self.window_days, WINDOW_MAX);
        let base = match self.base.as_deref().map(str::trim) {
            None | Some("") => Base::Matching,
            Some(s) => {
                no_nul(&mut e, "base", s);
                Base::parse(s).unwrap_or_else(|| {
                    e.add("base", "invalid_choice", "must be matching or active");
                    Base::Matching
                })
            }
        };
        e.into_result(BehaviourInput {
            name,
            name_es,
            owner_id: self.owner_id.unwrap_or(0),
            target,
            rule: Rule { event_type, touchpoint_id: self.touchpoint_id, count, window_days, base },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> BehaviourDraft {
        BehaviourDraft {
            name: Some("Buys again within 60 days".into()),
            owner_id: Some(3),
            target: Some(40.0),
            event_type: Some("purchase".into()),
            count: Some(2),
            window_days: Some(60),
            ..BehaviourDraft::default()
        }
    }

    #[test]
    fn a_good_draft_is_valid() {
        let b = good().validate().unwrap();
        assert_eq!(b.rule.count, 2);
        assert_eq!(b.rule.window_days, Some(60));
        assert_eq!(b.rule.base, Base::Matching);
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = BehaviourDraft {
            name: Some(" ".into()),
            owner_id: None,
            target: Some(101.0),
            event_type: Some("teleport".into()),
            count: Some(0),
            window_days: Some(3651),
            base: Some("all".into()),
            ..BehaviourDraft::default()
        };
        let e = bad.validate().unwrap_err();
        for f in ["name", "owner_id", "target", "event_type", "count", "window_days", "base"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let long = BehaviourDraft { event_type: Some(format!("custom:{}", "a".repeat(100))), ..good() };
        assert_eq!(long.validate().unwrap_err().get("event_type").unwrap().code, "too_long");
        let many = BehaviourDraft { count: Some(1001), ..good() };
        assert!(many.validate().unwrap_err().get("count").is_some());
        assert!(BehaviourDraft { count: None, ..good() }.validate().is_err());
    }

    #[test]
    fn a_patch_keeps_what_it_does_not_name_and_clears_nulls() {
        let b = good().validate().unwrap();
        let p: BehaviourPatch = serde_json::from_str(r#"{"target": 55, "window_days": null}"#).unwrap();
        let after = p.over(&b).validate().unwrap();
        assert_eq!(after.target, 55.0);
        assert_eq!(after.rule.window_days, None);
        assert_eq!(after.rule.count, 2);
        assert_eq!(after.name, b.name);
    }
}
