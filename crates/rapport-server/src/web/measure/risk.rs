//! A customer's scores as the pages show them: the at-risk list's rows and
//! the profile's card. Reasons keep their stable keys; the templates word
//! them (`risk-reason-KEY`) in the page's language.

use minijinja::{context, Value};
use rapport_store::CustomerScore;

pub fn view(s: &CustomerScore) -> Value {
    context! {
        external_id => &s.external_id,
        name => &s.name,
        email => &s.email,
        churn_risk => s.churn_risk.map(|r| r * 100.0),
        p_alive => s.p_alive.map(|p| p * 100.0),
        expected_purchases => s.expected_purchases,
        lifetime_value => s.lifetime_value,
        value_at_risk => s.value_at_risk,
        value_basis => s.reasons["value_basis"].as_str().map(|b| if b.starts_with("segment:") { "segment" } else { b }),
        reasons => s.reasons.get("reasons").cloned().map(Value::from_serialize),
        scored_at => s.scored_at.to_rfc3339(),
    }
}
