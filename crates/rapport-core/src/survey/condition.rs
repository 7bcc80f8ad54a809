//! Skip logic: when a question is shown.
//!
//! A condition compares one earlier answer with a value. `question` names the
//! earlier question by key, or one row of a matrix or multiple short text
//! question as `key.row`. Two conditions may be joined, once, with `and` or
//! `or`: what real survey files use most after single comparisons (checked on
//! the import corpus); deeper trees are not kept, so the builder stays a form.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConditionOp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    /// A multiple-choice answer includes the value.
    Includes,
    /// The answer is one of the values (a list), or, for a multiple-choice
    /// answer, includes at least one of them.
    AnyOf,
    /// The question was answered at all.
    #[default]
    Answered,
}

impl ConditionOp {
    pub const ALL: [ConditionOp; 9] = [
        ConditionOp::Answered,
        ConditionOp::Eq,
        ConditionOp::Ne,
        ConditionOp::Lt,
        ConditionOp::Lte,
        ConditionOp::Gt,
        ConditionOp::Gte,
        ConditionOp::Includes,
        ConditionOp::AnyOf,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ConditionOp::Eq => "eq",
            ConditionOp::Ne => "ne",
            ConditionOp::Lt => "lt",
            ConditionOp::Lte => "lte",
            ConditionOp::Gt => "gt",
            ConditionOp::Gte => "gte",
            ConditionOp::Includes => "includes",
            ConditionOp::AnyOf => "any_of",
            ConditionOp::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> Option<ConditionOp> {
        ConditionOp::ALL.into_iter().find(|o| o.key() == s)
    }
}

/// Show a question only when an earlier answer meets this.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShowIf {
    /// An earlier question's key, or `key.row` for one row of a matrix or
    /// multiple short text question.
    pub question: String,
    pub op: ConditionOp,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: Value,
    /// Also this condition (not both `and` and `or`; one level deep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>, no_recursion))]
    pub and: Option<Box<ShowIf>>,
    /// Or this condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>, no_recursion))]
    pub or: Option<Box<ShowIf>>,
}

impl ShowIf {
    /// One comparison.
    pub fn new(question: &str, op: ConditionOp, value: Value) -> ShowIf {
        ShowIf { question: question.into(), op, value, and: None, or: None }
    }

    /// The key of the question the condition reads first (before any `.row`).
    pub fn question_key(&self) -> &str {
        self.question.split_once('.').map_or(self.question.as_str(), |(q, _)| q)
    }

    /// Every comparison in it: itself, then its `and`/`or`.
    pub fn parts(&self) -> impl Iterator<Item = &ShowIf> {
        std::iter::once(self).chain(self.and.as_deref()).chain(self.or.as_deref())
    }

    pub fn holds(&self, answers: &Map<String, Value>) -> bool {
        let own = self.compare(answers);
        match (&self.and, &self.or) {
            (Some(a), _) => own && a.holds(answers),
            (None, Some(o)) => own || o.holds(answers),
            (None, None) => own,
        }
    }

    fn compare(&self, answers: &Map<String, Value>) -> bool {
        let found = match self.question.split_once('.') {
            Some((q, row)) => answers.get(q).and_then(|v| v.get(row)),
            None => answers.get(&self.question),
        };
        let Some(a) = found.filter(|v| !v.is_null()) else { return false };
        let num = |v: &Value| v.as_f64();
        match self.op {
            ConditionOp::Answered => true,
            ConditionOp::Eq => loose_eq(a, &self.value),
            ConditionOp::Ne => !loose_eq(a, &self.value),
            ConditionOp::Includes => a.as_array().is_some_and(|xs| xs.iter().any(|x| loose_eq(x, &self.value))),
            ConditionOp::AnyOf => {
                let wanted: &[Value] = self.value.as_array().map_or(std::slice::from_ref(&self.value), Vec::as_slice);
                let given: &[Value] = a.as_array().map_or(std::slice::from_ref(a), Vec::as_slice);
                given.iter().any(|g| wanted.iter().any(|w| loose_eq(g, w)))
            }
            op => match (num(a), num(&self.value)) {
                (Some(x), Some(y)) => match op {
                    ConditionOp::Lt => x < y,
                    ConditionOp::Lte => x <= y,
                    ConditionOp::Gt => x > y,
                    _ => x >= y,
                },
                _ => false,
            },
        }
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::Number(y)) | (Value::Number(y), Value::String(x)) => {
            x.parse::<f64>().ok() == y.as_f64()
        }
        (Value::Bool(x), Value::String(s)) | (Value::String(s), Value::Bool(x)) => {
            s == if *x { "true" } else { "false" }
        }
        _ => a == b,
    }
}
