//! Why a customer left, from the `reason` a cancellation or non-renewal
//! carries (seed 002: "what percentage of customer defection is for
//! price-related issues versus service-related issues").
//!
//! Words, not a model: a reason names the price or the service in a handful
//! of ways in English and Spanish, and a leader can read the list below.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DefectionReason {
    Price,
    Service,
    Other,
    /// No reason given.
    Unknown,
}

/// Beginnings of words that name the price (EN/ES).
const PRICE: [&str; 14] = [
    "price", "pric", "expensiv", "cost", "cheap", "afford", "budget", "money", "precio", "caro", "cara", "barat",
    "coste", "dinero",
];

/// Beginnings of words that name the service or the experience (EN/ES).
const SERVICE: [&str; 26] = [
    "service",
    "support",
    "deliver",
    "late",
    "slow",
    "quality",
    "rude",
    "wait",
    "broken",
    "damag",
    "wrong",
    "refund",
    "complain",
    "experienc",
    "help",
    "servicio",
    "atenci",
    "entrega",
    "tarde",
    "lent",
    "calidad",
    "espera",
    "roto",
    "dañad",
    "reembols",
    "queja",
];

/// Classifies a reason; price wins when a reason names both (a customer who
/// mentions the price left over what it costs them).
pub fn defection_reason(reason: Option<&str>) -> DefectionReason {
    let Some(text) = reason.map(str::trim).filter(|t| !t.is_empty()) else { return DefectionReason::Unknown };
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let names = |list: &[&str]| words.iter().any(|w| list.iter().any(|p| w.starts_with(p)));
    if names(&PRICE) {
        DefectionReason::Price
    } else if names(&SERVICE) {
        DefectionReason::Service
    } else {
        DefectionReason::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DefectionReason::*;

    #[test]
    fn reasons_in_both_languages() {
        assert_eq!(defection_reason(Some("Too expensive")), Price);
        assert_eq!(defection_reason(Some("price_increase")), Price);
        assert_eq!(defection_reason(Some("Es muy caro")), Price);
        assert_eq!(defection_reason(Some("Late deliveries, twice")), Service);
        assert_eq!(defection_reason(Some("La atención fue mala")), Service);
        assert_eq!(defection_reason(Some("moving abroad")), Other);
        assert_eq!(defection_reason(Some("   ")), Unknown);
        assert_eq!(defection_reason(None), Unknown);
    }

    #[test]
    fn price_wins_over_service_and_words_must_begin_with_the_stem() {
        assert_eq!(defection_reason(Some("poor service for the price")), Price);
        // "escaro" does not begin with "caro"; "helpful" names help.
        assert_eq!(defection_reason(Some("escaro")), Other);
        assert_eq!(defection_reason(Some("not helpful")), Service);
    }
}
