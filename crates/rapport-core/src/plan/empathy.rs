//! A6. Empathy maps per touchpoint: says, thinks, does, feels, pains and
//! gains, each entry able to cite evidence.
//!
//! Policy:
//! - a touchpoint has a general map and, if wanted, one per segment; each is
//!   a list of at most [`MAX_ENTRIES`] short entries ([`MAX_TEXT`]
//!   characters), each in one of six quadrants;
//! - an entry may cite what customers said or did: a response (its comment
//!   is shown with the entry, read at display time so that an erased
//!   comment disappears from the map too), a case or a text-analytics
//!   theme. The store checks that the cited row is the organization's;
//! - every save is a new version (1, 2, …) and versions are never changed,
//!   so a map's history shows how the team's understanding moved;
//! - "built from what customers said": the map counts the entries that
//!   cite evidence ([`EmpathyMap::with_evidence`]);
//! - suggestions are the touchpoint's latest comments: negative ones are
//!   pains candidates, positive ones gains ([`suggested_quadrant`]).

use crate::text::Sentiment;
use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod evidence;
pub use evidence::{Evidence, EvidenceKind};

/// At most this many entries in one map.
pub const MAX_ENTRIES: usize = 60;
/// At most this many characters in one entry.
pub const MAX_TEXT: usize = 500;
/// How many recent comments are offered as suggestions.
pub const SUGGESTIONS: i64 = 20;
/// How many pains and gains a summary (journey map, one-page plan) shows.
pub const SUMMARY_ITEMS: usize = 3;

/// The six quadrants, in the order a map shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyQuadrant))]
#[serde(rename_all = "lowercase")]
pub enum Quadrant {
    Says,
    Thinks,
    Does,
    Feels,
    Pains,
    Gains,
}

impl Quadrant {
    pub const ALL: [Quadrant; 6] =
        [Quadrant::Says, Quadrant::Thinks, Quadrant::Does, Quadrant::Feels, Quadrant::Pains, Quadrant::Gains];

    pub fn key(self) -> &'static str {
        match self {
            Quadrant::Says => "says",
            Quadrant::Thinks => "thinks",
            Quadrant::Does => "does",
            Quadrant::Feels => "feels",
            Quadrant::Pains => "pains",
            Quadrant::Gains => "gains",
        }
    }

    pub fn parse(s: &str) -> Option<Quadrant> {
        Quadrant::ALL.into_iter().find(|q| q.key() == s.trim())
    }
}

/// One entry of a map (`text` empty: the cited comment is the entry). `quote` is filled when reading: the cited
/// response's comment, the case's title or the theme's name (`None` when
/// the row is gone or the comment was erased).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyEntry))]
pub struct Entry {
    pub quadrant: Quadrant,
    pub text: String,
    pub evidence: Option<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

impl Entry {
    /// What the entry says: its text, or the cited comment when it is only
    /// a quote ("" when that comment was erased).
    pub fn shown(&self) -> &str {
        if self.text.is_empty() {
            self.quote.as_deref().unwrap_or("")
        } else {
            &self.text
        }
    }
}

/// An entry as typed or sent. The text is required, except when the entry
/// cites a response: then the comment can be the entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyEntryDraft))]
pub struct EntryDraft {
    /// says, thinks, does, feels, pains or gains.
    #[cfg_attr(feature = "openapi", schema(example = "pains"))]
    pub quadrant: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub text: Option<String>,
    pub evidence: Option<EvidenceDraft>,
}

/// Evidence as sent: `{"kind": "response", "id": 12}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyEvidenceDraft))]
pub struct EvidenceDraft {
    /// response, case or theme.
    #[cfg_attr(feature = "openapi", schema(example = "response"))]
    pub kind: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub id: Option<i64>,
}

/// A whole map as sent (a save replaces every entry and makes a version).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyMapDraft))]
pub struct MapDraft {
    #[cfg_attr(feature = "openapi", schema(max_items = 60))]
    pub entries: Vec<EntryDraft>,
}

/// A checked map, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct MapInput {
    pub entries: Vec<Entry>,
}

impl MapInput {
    pub fn with_evidence(&self) -> usize {
        self.entries.iter().filter(|e| e.evidence.is_some()).count()
    }
}

impl EntryDraft {
    fn check(&self, e: &mut FieldErrors, i: usize) -> Option<Entry> {
        let field = format!("entries[{i}]");
        let quadrant = match self.quadrant.as_deref().map(str::trim) {
            None | Some("") => {
                e.add(format!("{field}.quadrant"), "required", "is required");
                None
            }
            Some(q) => {
                let parsed = Quadrant::parse(q);
                if parsed.is_none() {
                    e.add(format!("{field}.quadrant"), "unknown", "must be says, thinks, does, feels, pains or gains");
                }
                parsed
            }
        };
        let evidence = match &self.evidence {
            None => Some(None),
            Some(d) => d.check(e, &format!("{field}.evidence")).map(Some),
        };
        let before = e.0.len();
        let text_field = format!("{field}.text");
        // A cited comment may be the entry itself: no copy of the
        // customer's words is kept, so erasing them empties the entry too.
        let quoting = matches!(evidence, Some(Some(Evidence { kind: EvidenceKind::Response, .. })));
        let text = if quoting {
            optional_text(e, &text_field, self.text.as_deref(), MAX_TEXT).unwrap_or_default()
        } else {
            required_text(e, &text_field, self.text.as_deref(), MAX_TEXT)
        };
        let text_ok = e.0.len() == before;
        match (quadrant, text_ok, evidence) {
            (Some(quadrant), true, Some(evidence)) => Some(Entry { quadrant, text, evidence, quote: None }),
            _ => None,
        }
    }
}

impl EvidenceDraft {
    fn check(&self, e: &mut FieldErrors, field: &str) -> Option<Evidence> {
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => {
                e.add(format!("{field}.kind"), "required", "is required");
                None
            }
            Some(k) => {
                let parsed = EvidenceKind::parse(k);
                if parsed.is_none() {
                    e.add(format!("{field}.kind"), "unknown", "must be response, case or theme");
                }
                parsed
            }
        };
        let id = match self.id {
            None => {
                e.add(format!("{field}.id"), "required", "is required");
                None
            }
            Some(id) if id < 1 => {
                e.add(format!("{field}.id"), "out_of_range", "must be at least 1");
                None
            }
            Some(id) => Some(id),
        };
        Some(Evidence { kind: kind?, id: id? })
    }
}

impl MapDraft {
    pub fn validate(&self) -> Result<MapInput, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.entries.len() > MAX_ENTRIES {
            e.add("entries", "too_many", format!("at most {MAX_ENTRIES} entries"));
            return Err(e);
        }
        let entries: Vec<Entry> = self.entries.iter().enumerate().filter_map(|(i, d)| d.check(&mut e, i)).collect();
        e.into_result(MapInput { entries })
    }
}

/// One stored version of a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyMap))]
pub struct EmpathyMap {
    pub touchpoint_id: Id,
    /// None: the touchpoint's general map.
    pub segment_id: Option<Id>,
    pub version: i64,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub entries: Vec<Entry>,
}

impl EmpathyMap {
    pub fn with_evidence(&self) -> usize {
        self.entries.iter().filter(|e| e.evidence.is_some()).count()
    }

    pub fn in_quadrant(&self, q: Quadrant) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.quadrant == q)
    }

    /// The map as a draft, to be changed and saved again.
    pub fn to_input(&self) -> MapInput {
        let entries = self.entries.iter().map(|e| Entry { quote: None, ..e.clone() }).collect();
        MapInput { entries }
    }

    /// The summary the journey map and the one-page plan show: counts and
    /// the first few pains and gains, in the map's order (the team puts the
    /// most important first).
    pub fn summary(&self) -> Summary {
        let first = |q| self.in_quadrant(q).take(SUMMARY_ITEMS).map(|e| e.shown().to_string()).collect();
        Summary {
            touchpoint_id: self.touchpoint_id,
            version: self.version,
            entries: self.entries.len(),
            with_evidence: self.with_evidence(),
            pains: first(Quadrant::Pains),
            gains: first(Quadrant::Gains),
        }
    }
}

/// A touchpoint's general map in a few words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathySummary))]
pub struct Summary {
    pub touchpoint_id: Id,
    pub version: i64,
    pub entries: usize,
    pub with_evidence: usize,
    pub pains: Vec<String>,
    pub gains: Vec<String>,
}

/// A version in a map's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyVersionInfo))]
pub struct VersionInfo {
    pub version: i64,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub entries: i64,
    pub with_evidence: i64,
}

/// A recent comment at the touchpoint, offered as an entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathySuggestion))]
pub struct Suggestion {
    pub response_id: Id,
    pub comment: String,
    pub at: DateTime<Utc>,
    pub sentiment: Option<Sentiment>,
    pub quadrant: Quadrant,
}

/// Where a comment goes by its tone: negative → pains, positive → gains,
/// anything else is what the customer says.
pub fn suggested_quadrant(sentiment: Option<Sentiment>) -> Quadrant {
    match sentiment {
        Some(Sentiment::Negative) => Quadrant::Pains,
        Some(Sentiment::Positive) => Quadrant::Gains,
        _ => Quadrant::Says,
    }
}

/// A comment as an entry's text: trimmed and cut to [`MAX_TEXT`]
/// characters (an ellipsis marks the cut).
pub fn entry_text(comment: &str) -> String {
    let t = comment.trim();
    if t.chars().count() <= MAX_TEXT {
        return t.to_string();
    }
    let mut cut: String = t.chars().take(MAX_TEXT - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests;
