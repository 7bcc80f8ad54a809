//! E2. The knowledge base for the front line: FAQs, product descriptions and
//! procedures in English and Spanish, linked to touchpoints and root causes.
//!
//! Policy:
//! - An article has a kind, and a title and a Markdown body in English, in
//!   Spanish or in both (at least one). Bodies are rendered by
//!   [`crate::markdown::to_html`] (images only from Rapport's own paths,
//!   such as `/media/{id}`) and bounded by [`DOCUMENT_MAX`] bytes.
//! - Every edit is a new version (1, 2, …) with its author and time; old
//!   versions stay readable. Links (touchpoints, root causes, case rules)
//!   belong to the article, not to a version.
//! - Search terms are the stems of both languages' titles and bodies
//!   ([`crate::text::search::search_terms`]), so "reembolso" and "refunds"
//!   find an article whatever language it was written in, accents folded.
//! - Marks: one per account per article, helpful or outdated (an outdated
//!   mark may carry a note), changeable. The article keeps its counters:
//!   helpful marks of any version, and outdated marks made on the current
//!   version. **A new version clears the outdated state**: marks made on an
//!   older version stay recorded under that version but no longer count.
//! - Suggestions on a case ([`suggest`]): an article linked to the case's
//!   root cause comes before one linked to its touchpoint, which comes
//!   before one that only shares words with what the customer wrote; then
//!   more matched words, more helpful marks, newer article. At most
//!   [`SUGGESTIONS_MAX`], each with why it is suggested.

use crate::lang::Lang;
use crate::markdown::DOCUMENT_MAX;
use crate::text::search::{search_query, search_terms};
use crate::validate::{no_nul, optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// The longest note on an outdated mark, in characters.
pub const NOTE_MAX: usize = 500;
/// The most links of each kind an article holds.
pub const LINKS_MAX: usize = 50;
/// The most articles suggested on a case.
pub const SUGGESTIONS_MAX: usize = 5;
/// The most of the customer's words used to look for articles.
pub const CASE_WORDS_MAX: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeKind))]
#[serde(rename_all = "snake_case")]
pub enum ArticleKind {
    Faq,
    Product,
    Procedure,
}

impl ArticleKind {
    pub const ALL: [ArticleKind; 3] = [ArticleKind::Faq, ArticleKind::Product, ArticleKind::Procedure];

    pub fn key(self) -> &'static str {
        match self {
            ArticleKind::Faq => "faq",
            ArticleKind::Product => "product",
            ArticleKind::Procedure => "procedure",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleKind> {
        ArticleKind::ALL.into_iter().find(|k| k.key() == s.trim())
    }
}

/// An article's title and Markdown body in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeText))]
pub struct ArticleText {
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// An article as written, before it is checked (the API's body, the form).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeArticleDraft))]
pub struct ArticleDraft {
    /// `faq`, `product` or `procedure`.
    pub kind: Option<String>,
    pub title_en: Option<String>,
    /// Markdown; images only from Rapport (`![](/media/12)`).
    pub body_en: Option<String>,
    pub title_es: Option<String>,
    pub body_es: Option<String>,
    pub touchpoint_ids: Option<Vec<Id>>,
    pub root_cause_ids: Option<Vec<Id>>,
    pub case_rule_ids: Option<Vec<Id>>,
}

/// A checked article, with its search terms.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleInput {
    pub kind: ArticleKind,
    pub en: Option<ArticleText>,
    pub es: Option<ArticleText>,
    pub touchpoint_ids: Vec<Id>,
    pub root_cause_ids: Vec<Id>,
    pub case_rule_ids: Vec<Id>,
    /// Stems of both titles and bodies.
    pub search_terms: Option<String>,
    /// Stems of both titles, between spaces (" refund reembols "), so that
    /// a stem is found with `LIKE '% stem %'` for ranking.
    pub title_terms: String,
}

fn language(e: &mut FieldErrors, lang: &str, title: Option<&str>, body: Option<&str>) -> Option<ArticleText> {
    let blank = |v: Option<&str>| v.is_none_or(|v| v.trim().is_empty());
    if blank(title) && blank(body) {
        return None;
    }
    let title = required_text(e, &format!("title_{lang}"), title, TITLE_MAX);
    let field = format!("body_{lang}");
    let body = body.map(str::trim).unwrap_or("");
    if body.is_empty() {
        e.add(field, "required", "is required");
    } else if no_nul(e, &field, body) && body.len() > DOCUMENT_MAX {
        e.add(field, "too_long", format!("must be at most {DOCUMENT_MAX} bytes"));
    }
    Some(ArticleText { title, body: body.to_string() })
}

fn links(e: &mut FieldErrors, field: &str, ids: Option<&Vec<Id>>) -> Vec<Id> {
    let mut out: Vec<Id> = Vec::new();
    let ids = ids.map(Vec::as_slice).unwrap_or(&[]);
    if ids.len() > LINKS_MAX {
        e.add(field, "too_many", format!("at most {LINKS_MAX}"));
        return out;
    }
    for (i, id) in ids.iter().enumerate() {
        if *id <= 0 {
            e.add(format!("{field}[{i}]"), "invalid", "must be a positive id");
        } else if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

impl ArticleDraft {
    pub fn validate(&self) -> Result<ArticleInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => {
                e.add("kind", "required", "is required");
                ArticleKind::Faq
            }
            Some(k) => ArticleKind::parse(k).unwrap_or_else(|| {
                e.add("kind", "invalid_choice", "must be faq, product or procedure");
                ArticleKind::Faq
            }),
        };
        let en = language(&mut e, "en", self.title_en.as_deref(), self.body_en.as_deref());
        let es = language(&mut e, "es", self.title_es.as_deref(), self.body_es.as_deref());
        if en.is_none() && es.is_none() {
            e.add("title_en", "required", "an article needs a title and a body in English or in Spanish");
        }
        let touchpoint_ids = links(&mut e, "touchpoint_ids", self.touchpoint_ids.as_ref());
        let root_cause_ids = links(&mut e, "root_cause_ids", self.root_cause_ids.as_ref());
        let case_rule_ids = links(&mut e, "case_rule_ids", self.case_rule_ids.as_ref());
        let (search, title_terms) = terms(en.as_ref(), es.as_ref());
        e.into_result(ArticleInput {
            kind,
            en,
            es,
            touchpoint_ids,
            root_cause_ids,
            case_rule_ids,
            search_terms: search,
            title_terms,
        })
    }
}

/// The search terms of an article (titles and bodies' text) and of its
/// titles alone (between spaces).
pub fn terms(en: Option<&ArticleText>, es: Option<&ArticleText>) -> (Option<String>, String) {
    let mut all = String::new();
    let mut titles = String::new();
    for t in en.iter().chain(es.iter()) {
        titles.push_str(&t.title);
        titles.push('\n');
        all.push_str(&t.title);
        all.push('\n');
        all.push_str(&crate::markdown::to_text(&t.body));
        all.push('\n');
    }
    let titles = search_terms(&titles).map(|t| format!(" {t} ")).unwrap_or_default();
    (search_terms(&all), titles)
}

/// An article as stored: its current version (or the version asked for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeArticle))]
pub struct Article {
    pub id: Id,
    pub kind: ArticleKind,
    /// The version shown (the current one unless another was asked for).
    pub version: i64,
    /// The article's latest version.
    pub current_version: i64,
    pub en: Option<ArticleText>,
    pub es: Option<ArticleText>,
    /// Who wrote the version shown: a person's name or the account.
    pub author: String,
    pub author_person_id: Option<Id>,
    /// When the version shown was written.
    pub written_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub touchpoint_ids: Vec<Id>,
    pub root_cause_ids: Vec<Id>,
    pub case_rule_ids: Vec<Id>,
    /// Helpful marks (of any version).
    pub helpful: i64,
    /// Outdated marks made on the current version.
    pub outdated: i64,
    /// Times opened from a case.
    pub uses: i64,
}

/// Which language an article is read in, and whether that is the reader's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading<'a> {
    pub lang: Lang,
    pub text: &'a ArticleText,
    /// True when the reader's language is missing and the other is shown.
    pub fallback: bool,
}

/// The text in `lang`, else in the other language (an article always has one).
pub fn reading<'a>(en: Option<&'a ArticleText>, es: Option<&'a ArticleText>, lang: Lang) -> Option<Reading<'a>> {
    let (mine, other, other_lang) = match lang {
        Lang::En => (en, es, Lang::Es),
        Lang::Es => (es, en, Lang::En),
    };
    match (mine, other) {
        (Some(text), _) => Some(Reading { lang, text, fallback: false }),
        (None, Some(text)) => Some(Reading { lang: other_lang, text, fallback: true }),
        (None, None) => None,
    }
}

impl Article {
    pub fn reading(&self, lang: Lang) -> Option<Reading<'_>> {
        reading(self.en.as_ref(), self.es.as_ref(), lang)
    }

    pub fn title(&self, lang: Lang) -> &str {
        self.reading(lang).map_or("", |r| r.text.title.as_str())
    }
}

/// A line of an article's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeVersion))]
pub struct ArticleVersion {
    pub version: i64,
    pub author: String,
    pub author_person_id: Option<Id>,
    pub written_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeMarkKind))]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Helpful,
    Outdated,
}

impl Mark {
    pub fn key(self) -> &'static str {
        match self {
            Mark::Helpful => "helpful",
            Mark::Outdated => "outdated",
        }
    }

    pub fn parse(s: &str) -> Option<Mark> {
        match s.trim() {
            "helpful" => Some(Mark::Helpful),
            "outdated" => Some(Mark::Outdated),
            _ => None,
        }
    }
}

/// A mark as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeMarkDraft))]
pub struct MarkDraft {
    /// `helpful` or `outdated`.
    pub mark: Option<String>,
    /// Only with `outdated`: what is wrong (at most 500 characters).
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkInput {
    pub mark: Mark,
    pub note: Option<String>,
}

impl MarkDraft {
    pub fn validate(&self) -> Result<MarkInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let mark = match self.mark.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            None => {
                e.add("mark", "required", "is required");
                Mark::Helpful
            }
            Some(m) => Mark::parse(m).unwrap_or_else(|| {
                e.add("mark", "invalid_choice", "must be helpful or outdated");
                Mark::Helpful
            }),
        };
        let note = optional_text(&mut e, "note", self.note.as_deref(), NOTE_MAX);
        if note.is_some() && mark == Mark::Helpful {
            e.add("note", "not_allowed", "only an outdated mark carries a note");
        }
        e.into_result(MarkInput { mark, note })
    }
}

/// A mark as stored: which version it was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KnowledgeMark))]
pub struct MarkRecord {
    pub mark: Mark,
    pub note: Option<String>,
    pub version: i64,
    pub marked_at: DateTime<Utc>,
}

/// How the article's counters (helpful, outdated) change when an account's
/// mark goes from `old` (and whether it was made on the current version)
/// to `new`, made now on the current version.
pub fn counter_change(old: Option<(Mark, bool)>, new: Mark) -> (i64, i64) {
    let (mut helpful, mut outdated) = (0, 0);
    match old {
        Some((Mark::Helpful, _)) => helpful -= 1,
        Some((Mark::Outdated, true)) => outdated -= 1,
        Some((Mark::Outdated, false)) | None => {}
    }
    match new {
        Mark::Helpful => helpful += 1,
        Mark::Outdated => outdated += 1,
    }
    (helpful, outdated)
}

// ---- Suggestions on a case ---------------------------------------------

static STOP_WORDS: LazyLock<[yake_rust::StopWords; 2]> = LazyLock::new(|| {
    let load = |code| {
        yake_rust::StopWords::predefined(code).unwrap_or_else(|| yake_rust::StopWords::custom(Default::default()))
    };
    [load("en"), load("es")]
});

/// A word the customer wrote, with its stems (what the index holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword {
    pub word: String,
    pub stems: Vec<String>,
}

/// The customer's words worth looking up: lower-cased, at least 3 letters,
/// not a stop word of English or Spanish, each once, at most
/// [`CASE_WORDS_MAX`], in the order written.
pub fn keywords(text: &str) -> Vec<Keyword> {
    let mut out: Vec<Keyword> = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        let word = raw.to_lowercase();
        if word.chars().count() < 3 || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if STOP_WORDS.iter().any(|s| s.contains(&word)) || out.iter().any(|k| k.word == word) {
            continue;
        }
        let Some(stems) = search_query(&word).into_iter().next() else { continue };
        if out.iter().any(|k| k.stems == stems) {
            continue;
        }
        out.push(Keyword { word, stems });
        if out.len() == CASE_WORDS_MAX {
            break;
        }
    }
    out
}

/// Every stem of the keywords, once (what the store searches for, any of them).
pub fn keyword_stems(words: &[Keyword]) -> Vec<String> {
    let mut out: Vec<String> = words.iter().flat_map(|k| k.stems.iter().cloned()).collect();
    out.sort();
    out.dedup();
    out
}

/// The keywords an article's search terms hold.
pub fn matched_words(words: &[Keyword], article_terms: &str) -> Vec<String> {
    let terms: Vec<&str> = article_terms.split(' ').collect();
    words.iter().filter(|k| k.stems.iter().any(|s| terms.contains(&s.as_str()))).map(|k| k.word.clone()).collect()
}

/// An article the store found for a case: linked to its root cause, to its
/// touchpoint, or holding some of the customer's words.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub article_id: Id,
    pub root_cause: bool,
    pub touchpoint: bool,
    pub search_terms: Option<String>,
    pub helpful: i64,
}

/// An article suggested on a case, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub article_id: Id,
    /// Linked to the case's root cause.
    pub root_cause: bool,
    /// Linked to the case's touchpoint.
    pub touchpoint: bool,
    /// The customer's words it holds.
    pub matched: Vec<String>,
}

/// The articles to suggest, best first, at most [`SUGGESTIONS_MAX`]: root
/// cause link, then touchpoint link, then more matched words, more helpful
/// marks, newer. A candidate with no link and no matched word is dropped.
pub fn suggest(candidates: &[Candidate], words: &[Keyword]) -> Vec<Suggestion> {
    let mut scored: Vec<(Suggestion, i64)> = Vec::new();
    for c in candidates {
        if scored.iter().any(|(s, _)| s.article_id == c.article_id) {
            continue;
        }
        let matched = c.search_terms.as_deref().map(|t| matched_words(words, t)).unwrap_or_default();
        if !c.root_cause && !c.touchpoint && matched.is_empty() {
            continue;
        }
        let s = Suggestion { article_id: c.article_id, root_cause: c.root_cause, touchpoint: c.touchpoint, matched };
        scored.push((s, c.helpful));
    }
    scored.sort_by(|(a, ah), (b, bh)| {
        (b.root_cause, b.touchpoint, b.matched.len(), *bh, b.article_id).cmp(&(
            a.root_cause,
            a.touchpoint,
            a.matched.len(),
            *ah,
            a.article_id,
        ))
    });
    scored.into_iter().take(SUGGESTIONS_MAX).map(|(s, _)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ArticleDraft {
        ArticleDraft {
            kind: Some("faq".into()),
            title_en: Some(" Refunds for late orders ".into()),
            body_en: Some("1. Say sorry\n2. Refund the **delivery**\n\n![Form](/media/3)".into()),
            ..Default::default()
        }
    }

    #[test]
    fn an_article_needs_a_kind_and_one_language() {
        let input = draft().validate().unwrap();
        assert_eq!(input.kind, ArticleKind::Faq);
        assert_eq!(input.en.as_ref().unwrap().title, "Refunds for late orders");
        assert!(input.es.is_none());
        let e = ArticleDraft { kind: Some("faq".into()), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.get("title_en").unwrap().code, "required");
        let e = ArticleDraft { kind: Some("memo".into()), ..draft() }.validate().unwrap_err();
        assert_eq!(e.get("kind").unwrap().code, "invalid_choice");
        let e = ArticleDraft { kind: None, ..draft() }.validate().unwrap_err();
        assert_eq!(e.get("kind").unwrap().code, "required");
    }

    #[test]
    fn a_language_needs_both_title_and_body_within_bounds() {
        let e = ArticleDraft { title_es: Some("Reembolsos".into()), ..draft() }.validate().unwrap_err();
        assert_eq!(e.get("body_es").unwrap().code, "required");
        let e = ArticleDraft { body_es: Some("Texto".into()), ..draft() }.validate().unwrap_err();
        assert_eq!(e.get("title_es").unwrap().code, "required");
        let e = ArticleDraft { body_en: Some("a".repeat(DOCUMENT_MAX + 1)), ..draft() }.validate().unwrap_err();
        assert_eq!(e.get("body_en").unwrap().code, "too_long");
        let e = ArticleDraft { title_en: Some("t".repeat(TITLE_MAX + 1)), ..draft() }.validate().unwrap_err();
        assert_eq!(e.get("title_en").unwrap().code, "too_long");
        let e = ArticleDraft { body_en: Some("a\0b".into()), ..draft() }.validate().unwrap_err();
        assert_eq!(e.get("body_en").unwrap().code, "invalid");
        // Spanish alone is enough.
        let only_es = ArticleDraft {
            kind: Some("procedure".into()),
            title_es: Some("Reembolsos".into()),
            body_es: Some("Devolver el dinero".into()),
            ..Default::default()
        };
        assert!(only_es.validate().unwrap().en.is_none());
    }

    #[test]
    fn links_are_positive_deduplicated_and_bounded() {
        let d = ArticleDraft { touchpoint_ids: Some(vec![3, 3, 5]), root_cause_ids: Some(vec![0]), ..draft() };
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("root_cause_ids[0]").unwrap().code, "invalid");
        let d = ArticleDraft { touchpoint_ids: Some(vec![3, 3, 5]), ..draft() };
        assert_eq!(d.validate().unwrap().touchpoint_ids, vec![3, 5]);
        let d = ArticleDraft { case_rule_ids: Some((1..=51).collect()), ..draft() };
        assert_eq!(d.validate().unwrap_err().get("case_rule_ids").unwrap().code, "too_many");
    }

    #[test]
    fn terms_hold_both_languages_stemmed_and_folded() {
        let d = ArticleDraft {
            title_es: Some("Reembolsos por pedidos tardíos".into()),
            body_es: Some("Se devuelve el envío.".into()),
            ..draft()
        };
        let input = d.validate().unwrap();
        let terms = input.search_terms.unwrap();
        let has = |q: &str| search_query(q).iter().all(|g| g.iter().any(|s| terms.split(' ').any(|t| t == s)));
        assert!(has("refunds"));
        assert!(has("reembolso"));
        assert!(has("envio"), "accents folded");
        assert!(has("delivery"), "the body's text, without markup");
        assert!(!has("media"), "image paths are not words of the text");
        assert!(input.title_terms.starts_with(' ') && input.title_terms.contains(" refund "));
    }

    #[test]
    fn reading_falls_back_to_the_other_language() {
        let en = ArticleText { title: "Refunds".into(), body: "x".into() };
        let r = reading(Some(&en), None, Lang::Es).unwrap();
        assert_eq!((r.lang, r.fallback, r.text.title.as_str()), (Lang::En, true, "Refunds"));
        let r = reading(Some(&en), None, Lang::En).unwrap();
        assert!(!r.fallback);
        assert!(reading(None, None, Lang::En).is_none());
    }

    #[test]
    fn marks_are_checked_and_counters_follow_changes() {
        let m = MarkDraft { mark: Some("outdated".into()), note: Some(" Price changed ".into()) }.validate().unwrap();
        assert_eq!(m, MarkInput { mark: Mark::Outdated, note: Some("Price changed".into()) });
        let e = MarkDraft { mark: Some("helpful".into()), note: Some("x".into()) }.validate().unwrap_err();
        assert_eq!(e.get("note").unwrap().code, "not_allowed");
        let e = MarkDraft { mark: Some("great".into()), note: None }.validate().unwrap_err();
        assert_eq!(e.get("mark").unwrap().code, "invalid_choice");
        assert_eq!(MarkDraft::default().validate().unwrap_err().get("mark").unwrap().code, "required");
        assert_eq!(counter_change(None, Mark::Helpful), (1, 0));
        assert_eq!(counter_change(Some((Mark::Helpful, true)), Mark::Outdated), (-1, 1));
        assert_eq!(counter_change(Some((Mark::Outdated, true)), Mark::Helpful), (1, -1));
        assert_eq!(counter_change(Some((Mark::Outdated, false)), Mark::Outdated), (0, 1), "an old version's mark");
        assert_eq!(counter_change(Some((Mark::Helpful, false)), Mark::Helpful), (0, 0));
    }

    #[test]
    fn keywords_skip_stop_words_and_short_words() {
        let words: Vec<String> = keywords("The refund was late, y el reembolso de la cafetera tarde. Refund! 12 ok")
            .into_iter()
            .map(|k| k.word)
            .collect();
        assert_eq!(words, vec!["refund", "late", "reembolso", "cafetera", "tarde"]);
        assert!(keywords("").is_empty());
        let many: String = (0..40).map(|i| format!("palabra{i} ")).collect();
        assert_eq!(keywords(&many).len(), CASE_WORDS_MAX);
    }

    fn candidate(id: Id, root_cause: bool, touchpoint: bool, text: &str, helpful: i64) -> Candidate {
        Candidate { article_id: id, root_cause, touchpoint, search_terms: search_terms(text), helpful }
    }

    #[test]
    fn root_cause_beats_touchpoint_beats_words() {
        let words = keywords("My refund for the late delivery never came");
        let found = suggest(
            &[
                candidate(1, false, false, "refunds delivery late", 9),
                candidate(2, false, true, "opening hours", 0),
                candidate(3, true, false, "espresso machine", 0),
                candidate(4, false, false, "refund", 50),
                candidate(5, false, false, "loyalty card", 3),
                candidate(2, false, true, "opening hours", 0),
            ],
            &words,
        );
        let ids: Vec<Id> = found.iter().map(|s| s.article_id).collect();
        assert_eq!(ids, vec![3, 2, 1, 4], "5 matches nothing; duplicates once");
        assert_eq!(found[2].matched, vec!["refund", "late", "delivery"]);
        assert!(found[0].root_cause && !found[0].touchpoint);
    }

    #[test]
    fn at_most_five_ties_by_helpful_then_newest() {
        let words = keywords("reembolso");
        let cands: Vec<Candidate> = (1..=8).map(|i| candidate(i, false, false, "reembolsos", i % 3)).collect();
        let ids: Vec<Id> = suggest(&cands, &words).iter().map(|s| s.article_id).collect();
        assert_eq!(ids, vec![8, 5, 2, 7, 4]);
    }
}
