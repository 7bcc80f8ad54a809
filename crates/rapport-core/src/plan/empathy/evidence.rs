//! What an empathy-map entry cites, and its short written form
//! (`response:12`, `case:4`, `theme:3`) used by the web form.

use crate::Id;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyEvidenceKind))]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    Response,
    Case,
    Theme,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 3] = [EvidenceKind::Response, EvidenceKind::Case, EvidenceKind::Theme];

    pub fn key(self) -> &'static str {
        match self {
            EvidenceKind::Response => "response",
            EvidenceKind::Case => "case",
            EvidenceKind::Theme => "theme",
        }
    }

    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.key() == s.trim())
    }
}

/// A response, case or theme of the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EmpathyEvidence))]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub id: Id,
}

impl Evidence {
    /// `response:12`.
    pub fn written(&self) -> String {
        format!("{}:{}", self.kind.key(), self.id)
    }
}

impl super::EvidenceDraft {
    /// Reads the written form `kind:id` (`response:12`; a space instead of
    /// the colon and a `#` before the id are allowed: `case #4`). Blank is
    /// no evidence; anything else is a draft the validation judges, so a
    /// typo is a field error, never silently dropped.
    pub fn from_written(s: &str) -> Option<super::EvidenceDraft> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let (kind, id) = s.split_once([':', ' ']).unwrap_or((s, ""));
        let id = id.trim().trim_start_matches('#').trim();
        Some(super::EvidenceDraft { kind: Some(kind.trim().to_lowercase()), id: id.parse::<i64>().ok() })
    }
}
