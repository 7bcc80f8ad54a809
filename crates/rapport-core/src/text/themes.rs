//! Themes an admin defines (a name and keywords or phrases per language)
//! and finding them in comments.
//!
//! Matching is on Snowball stems of words lowercased and without accents,
//! so "deliveries" finds the keyword "delivery", "entregas" finds
//! "entrega", "atencion" finds "atención"; a phrase matches its words' stems
//! in a row ("customer service" in "Customer Service was slow").

use super::{floor_char_boundary, tokens, ANALYSED_MAX};
use crate::lang::Lang;
use crate::validate::{no_nul, required_text, FieldErrors};
use crate::Id;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub const THEME_NAME_MAX: usize = 80;
pub const MAX_KEYWORDS: usize = 50;
pub const KEYWORD_MAX: usize = 60;

/// A theme as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemeDef {
    pub id: Id,
    pub name: String,
    pub keywords_en: Vec<String>,
    pub keywords_es: Vec<String>,
}

static STEMMERS: LazyLock<[Stemmer; 2]> =
    LazyLock::new(|| [Stemmer::create(Algorithm::English), Stemmer::create(Algorithm::Spanish)]);

/// The stems of the words of `text`, as keywords and comments are compared.
fn stems(text: &str, lang: Lang) -> Vec<String> {
    let stemmer = &STEMMERS[usize::from(lang == Lang::Es)];
    let mut folded = String::new();
    tokens::words(text)
        .map(|w| {
            folded.clear();
            tokens::fold_into(w, &mut folded);
            stemmer.stem(&folded).into_owned()
        })
        .collect()
}

/// Keyword phrases of one language by their first stem.
#[derive(Debug, Default)]
struct Index {
    by_first: FxHashMap<String, Vec<(Vec<String>, Id)>>,
}

impl Index {
    fn add(&mut self, keyword: &str, lang: Lang, id: Id) {
        let mut s = stems(keyword, lang).into_iter();
        if let Some(first) = s.next() {
            self.by_first.entry(first).or_default().push((s.collect(), id));
        }
    }
}

/// Finds admin-defined themes in texts. Build once per set of themes.
#[derive(Debug, Default)]
pub struct ThemeMatcher {
    by_lang: [Index; 2],
}

impl ThemeMatcher {
    pub fn new(themes: &[ThemeDef]) -> Self {
        let mut m = ThemeMatcher::default();
        for t in themes {
            for k in &t.keywords_en {
                m.by_lang[0].add(k, Lang::En, t.id);
            }
            for k in &t.keywords_es {
                m.by_lang[1].add(k, Lang::Es, t.id);
            }
        }
        m
    }

    /// The ids of the themes (ascending, once each) one of whose keywords
    /// for `lang` occurs in `text` (read up to [`ANALYSED_MAX`] bytes).
    pub fn matches(&self, text: &str, lang: Lang) -> Vec<Id> {
        let index = &self.by_lang[usize::from(lang == Lang::Es)];
        if index.by_first.is_empty() {
            return Vec::new();
        }
        let words = stems(&text[..floor_char_boundary(text, ANALYSED_MAX)], lang);
        let mut ids = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for (rest, id) in index.by_first.get(w).into_iter().flatten() {
                let tail = words.get(i + 1..i + 1 + rest.len());
                if tail.is_some_and(|t| t == rest.as_slice()) {
                    ids.push(*id);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A theme as submitted by an admin.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemeDraft {
    pub name: Option<String>,
    #[serde(default)]
    pub keywords_en: Vec<String>,
    #[serde(default)]
    pub keywords_es: Vec<String>,
}

/// A valid theme: trimmed name, keywords trimmed, blanks and repeats
/// (ignoring case) dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeInput {
    pub name: String,
    pub keywords_en: Vec<String>,
    pub keywords_es: Vec<String>,
}

impl ThemeDraft {
    pub fn validate(&self) -> Result<ThemeInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), THEME_NAME_MAX);
        let keywords_en = keywords(&mut e, "keywords_en", &self.keywords_en);
        let keywords_es = keywords(&mut e, "keywords_es", &self.keywords_es);
        // One language is enough: an organization may hear only one.
        if keywords_en.is_empty() && keywords_es.is_empty() {
            e.add("keywords_en", "required", "needs at least one keyword, in English or Spanish");
        }
        e.into_result(ThemeInput { name, keywords_en, keywords_es })
    }
}

fn keywords(e: &mut FieldErrors, field: &str, list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in list.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        if !out.iter().any(|o| o.to_lowercase() == k.to_lowercase()) {
            out.push(k.to_string());
        }
    }
    if out.len() > MAX_KEYWORDS {
        e.add(field, "too_many", format!("at most {MAX_KEYWORDS} keywords"));
    }
    for (i, k) in out.iter().enumerate() {
        let f = format!("{field}[{i}]");
        if !no_nul(e, &f, k) {
            continue;
        }
        if k.chars().count() > KEYWORD_MAX {
            e.add(f, "too_long", format!("must be at most {KEYWORD_MAX} characters"));
        } else if !k.chars().any(char::is_alphanumeric) {
            e.add(f, "invalid", "must contain a letter or a digit");
        }
    }
    out
}
