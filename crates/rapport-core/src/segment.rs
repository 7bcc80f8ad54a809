//! Customer segments: rules over customer attributes.
//!
//! A rule is a list of conditions combined with `all` (and) or `any` (or).
//! Conditions: `equals` a value, `one_of` several values, or a numeric
//! `range` (inclusive; either end may be open). Values compare as text, so a
//! JSON `5` equals the text `"5"`; ranges need a number (or numeric text).

use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    #[default]
    All,
    Any,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    Equals { attribute: String, value: String },
    OneOf { attribute: String, values: Vec<String> },
    Range { attribute: String, min: Option<f64>, max: Option<f64> },
}

impl Condition {
    pub fn attribute(&self) -> &str {
        match self {
            Condition::Equals { attribute, .. }
            | Condition::OneOf { attribute, .. }
            | Condition::Range { attribute, .. } => attribute,
        }
    }

    pub fn matches(&self, attributes: &Map<String, Value>) -> bool {
        let Some(v) = attributes.get(self.attribute()) else { return false };
        match self {
            Condition::Equals { value, .. } => scalar_text(v).is_some_and(|t| t == *value),
            Condition::OneOf { values, .. } => scalar_text(v).is_some_and(|t| values.contains(&t)),
            Condition::Range { min, max, .. } => match as_number(v) {
                Some(n) => min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
                None => false,
            },
        }
    }
}

/// A JSON scalar as text (`5` → "5", `true` → "true"); `None` for null,
/// arrays and objects. Shared with the survey importers.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentRule {
    #[serde(default)]
    pub combine: Combine,
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

impl SegmentRule {
    /// An empty rule matches every customer (the "all customers" segment).
    pub fn matches(&self, attributes: &Map<String, Value>) -> bool {
        if self.conditions.is_empty() {
            return true;
        }
        match self.combine {
            Combine::All => self.conditions.iter().all(|c| c.matches(attributes)),
            Combine::Any => self.conditions.iter().any(|c| c.matches(attributes)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Segment {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    pub rule: SegmentRule,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentDraft {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub rule: SegmentRule,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SegmentInput {
    pub name: String,
    pub description: Option<String>,
    pub rule: SegmentRule,
}

pub const MAX_CONDITIONS: usize = 20;

impl SegmentDraft {
    pub fn validate(&self) -> Result<SegmentInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 80);
        let description = optional_text(&mut e, "description", self.description.as_deref(), 500);
        if self.rule.conditions.len() > MAX_CONDITIONS {
            e.add("rule.conditions", "too_many", format!("at most {MAX_CONDITIONS} conditions"));
        }
        let mut conditions = Vec::with_capacity(self.rule.conditions.len());
        for (i, c) in self.rule.conditions.iter().enumerate() {
            let f = |k: &str| format!("rule.conditions[{i}].{k}");
            let attribute = required_text(&mut e, &f("attribute"), Some(c.attribute()), 60);
            let c = match c {
                Condition::Equals { value, .. } => {
                    Condition::Equals { attribute, value: required_text(&mut e, &f("value"), Some(value), 200) }
                }
                Condition::OneOf { values, .. } => {
                    let values: Vec<String> =
                        values.iter().map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
                    if values.is_empty() {
                        e.add(f("values"), "required", "needs at least one value");
                    }
                    for (j, v) in values.iter().enumerate() {
                        crate::validate::no_nul(&mut e, &f(&format!("values[{j}]")), v);
                    }
                    Condition::OneOf { attribute, values }
                }
                Condition::Range { min, max, .. } => {
                    if min.is_none() && max.is_none() {
                        e.add(f("min"), "required", "give a minimum, a maximum or both");
                    }
                    if let (Some(a), Some(b)) = (min, max) {
                        if a > b {
                            e.add(f("max"), "out_of_range", "must not be below the minimum");
                        }
                    }
                    if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
                        e.add(f("min"), "out_of_range", "must be a finite number");
                    }
                    Condition::Range { attribute, min: *min, max: *max }
                }
            };
            conditions.push(c);
        }
        let rule = SegmentRule { combine: self.rule.combine, conditions };
        e.into_result(SegmentInput { name, description, rule })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn eq(a: &str, v: &str) -> Condition {
        Condition::Equals { attribute: a.into(), value: v.into() }
    }

    #[test]
    fn conditions_match_by_kind() {
        let a = attrs(json!({"plan": "pro", "tenure": 14, "score": "7.5", "vip": true}));
        assert!(eq("plan", "pro").matches(&a));
        assert!(!eq("plan", "free").matches(&a));
        assert!(eq("tenure", "14").matches(&a), "numbers compare as text");
        assert!(eq("vip", "true").matches(&a));
        assert!(!eq("missing", "x").matches(&a));
        let one = Condition::OneOf { attribute: "plan".into(), values: vec!["free".into(), "pro".into()] };
        assert!(one.matches(&a));
        let r = |min, max| Condition::Range { attribute: "tenure".into(), min, max };
        assert!(r(Some(12.0), Some(24.0)).matches(&a));
        assert!(r(Some(14.0), Some(14.0)).matches(&a), "inclusive ends");
        assert!(!r(None, Some(13.9)).matches(&a));
        assert!(r(Some(1.0), None).matches(&a));
        let s = Condition::Range { attribute: "score".into(), min: Some(7.0), max: None };
        assert!(s.matches(&a), "numeric text counts");
        let p = Condition::Range { attribute: "plan".into(), min: Some(0.0), max: None };
        assert!(!p.matches(&a), "text is not a number");
    }

    #[test]
    fn combine_all_and_any() {
        let a = attrs(json!({"plan": "pro", "region": "north"}));
        let mut rule =
            SegmentRule { combine: Combine::All, conditions: vec![eq("plan", "pro"), eq("region", "south")] };
        assert!(!rule.matches(&a));
        rule.combine = Combine::Any;
        assert!(rule.matches(&a));
        assert!(SegmentRule::default().matches(&a), "empty rule matches everyone");
    }

    #[test]
    fn json_shape_is_stable() {
        let rule: SegmentRule = serde_json::from_value(json!({
            "combine": "any",
            "conditions": [
                {"op": "equals", "attribute": "plan", "value": "pro"},
                {"op": "one_of", "attribute": "region", "values": ["n", "s"]},
                {"op": "range", "attribute": "tenure", "min": 12, "max": null}
            ]
        }))
        .unwrap();
        assert_eq!(rule.combine, Combine::Any);
        assert_eq!(rule.conditions.len(), 3);
        let back = serde_json::to_value(&rule).unwrap();
        assert_eq!(back["conditions"][2]["min"], json!(12.0));
    }

    #[test]
    fn validate_reports_condition_paths() {
        let d = SegmentDraft {
            name: Some("Pro".into()),
            description: None,
            rule: SegmentRule {
                combine: Combine::All,
                conditions: vec![
                    eq(" plan ", " pro "),
                    Condition::OneOf { attribute: "r".into(), values: vec![" ".into()] },
                    Condition::Range { attribute: "t".into(), min: Some(5.0), max: Some(1.0) },
                    Condition::Range { attribute: "".into(), min: None, max: None },
                ],
            },
        };
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("rule.conditions[1].values").unwrap().code, "required");
        assert_eq!(e.get("rule.conditions[2].max").unwrap().code, "out_of_range");
        assert_eq!(e.get("rule.conditions[3].attribute").unwrap().code, "required");
        assert_eq!(e.get("rule.conditions[3].min").unwrap().code, "required");
        assert!(e.get("rule.conditions[0].attribute").is_none());

        let ok = SegmentDraft {
            name: Some("Pro".into()),
            description: None,
            rule: SegmentRule { combine: Combine::All, conditions: vec![eq(" plan ", " pro ")] },
        };
        assert_eq!(ok.validate().unwrap().rule.conditions[0], eq("plan", "pro"));
    }
}
