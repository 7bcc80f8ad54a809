//! The translation catalogue: Fluent files for English and Spanish, compiled
//! into the binary. Every user-visible string of the UI comes from here.
//!
//! A missing Spanish message falls back to English and then to the key itself
//! (so a gap is visible, never a crash); a test keeps the two files in step.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rapport_core::lang::Lang;
use std::borrow::Cow;

// One catalogue per language, in files by area of the product (the main
// file, then one per menu group that has grown its own), read as one.
const EN: &str = concat!(
    include_str!("../locales/en.ftl"),
    "\n",
    include_str!("../locales/en/admin.ftl"),
    "\n",
    include_str!("../locales/en/settings.ftl"),
    "\n",
    include_str!("../locales/en/exports.ftl"),
    "\n",
    include_str!("../locales/en/survey_types.ftl"),
    "\n",
    include_str!("../locales/en/builder.ftl"),
    "\n",
    include_str!("../locales/en/training.ftl"),
    "\n",
    include_str!("../locales/en/knowledge.ftl"),
    "\n",
    include_str!("../locales/en/recognition.ftl"),
    "\n",
    include_str!("../locales/en/staffing.ftl"),
    "\n",
    include_str!("../locales/en/distribution.ftl"),
    "\n",
    include_str!("../locales/en/conversations.ftl"),
    "\n",
    include_str!("../locales/en/queue.ftl"),
    "\n",
    include_str!("../locales/en/empathy.ftl"),
    "\n",
    include_str!("../locales/en/behaviours.ftl"),
    "\n",
    include_str!("../locales/en/council.ftl"),
    "\n",
    include_str!("../locales/en/diagnostic.ftl"),
    "\n",
    include_str!("../locales/en/gaps.ftl"),
    "\n",
    include_str!("../locales/en/polish.ftl"),
    "\n",
    include_str!("../locales/en/nav.ftl"),
    "\n",
    include_str!("../locales/en/home.ftl"),
);
const ES: &str = concat!(
    include_str!("../locales/es.ftl"),
    "\n",
    include_str!("../locales/es/admin.ftl"),
    "\n",
    include_str!("../locales/es/settings.ftl"),
    "\n",
    include_str!("../locales/es/exports.ftl"),
    "\n",
    include_str!("../locales/es/survey_types.ftl"),
    "\n",
    include_str!("../locales/es/builder.ftl"),
    "\n",
    include_str!("../locales/es/training.ftl"),
    "\n",
    include_str!("../locales/es/knowledge.ftl"),
    "\n",
    include_str!("../locales/es/recognition.ftl"),
    "\n",
    include_str!("../locales/es/staffing.ftl"),
    "\n",
    include_str!("../locales/es/distribution.ftl"),
    "\n",
    include_str!("../locales/es/conversations.ftl"),
    "\n",
    include_str!("../locales/es/queue.ftl"),
    "\n",
    include_str!("../locales/es/empathy.ftl"),
    "\n",
    include_str!("../locales/es/behaviours.ftl"),
    "\n",
    include_str!("../locales/es/council.ftl"),
    "\n",
    include_str!("../locales/es/diagnostic.ftl"),
    "\n",
    include_str!("../locales/es/gaps.ftl"),
    "\n",
    include_str!("../locales/es/polish.ftl"),
    "\n",
    include_str!("../locales/es/nav.ftl"),
    "\n",
    include_str!("../locales/es/home.ftl"),
);

pub struct I18n {
    en: FluentBundle<FluentResource>,
    es: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, source: &str) -> FluentBundle<FluentResource> {
    let res = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, errs)| panic!("locales/{lang}.ftl does not parse: {errs:?}"));
    let mut b = FluentBundle::new_concurrent(vec![lang.parse().expect("valid language id")]);
    // Unicode isolation marks around arguments would show up in HTML
    // attributes and in tests; our arguments are plain words and numbers.
    b.set_use_isolating(false);
    b.add_resource(res).expect("no duplicate message ids");
    b
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

impl I18n {
    pub fn new() -> Self {
        I18n { en: bundle("en", EN), es: bundle("es", ES) }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The message `key` in `lang`, with `args` filled in.
    pub fn t(&self, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let fargs = (!args.is_empty()).then(|| {
            let mut a = FluentArgs::new();
            for (k, v) in args {
                a.set(*k, v.clone());
            }
            a
        });
        for b in [self.bundle(lang), &self.en] {
            if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
                let mut errors = vec![];
                let s: Cow<'_, str> = b.format_pattern(pattern, fargs.as_ref(), &mut errors);
                return s.into_owned();
            }
        }
        key.to_string()
    }

    /// The message ids of a language's catalogue.
    pub fn keys(lang: Lang) -> Vec<String> {
        let src = match lang {
            Lang::En => EN,
            Lang::Es => ES,
        };
        let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(r, _)| r);
        res.entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn catalogues_have_the_same_keys() {
        let en: BTreeSet<_> = I18n::keys(Lang::En).into_iter().collect();
        let es: BTreeSet<_> = I18n::keys(Lang::Es).into_iter().collect();
        let missing_es: Vec<_> = en.difference(&es).collect();
        let missing_en: Vec<_> = es.difference(&en).collect();
        assert!(missing_es.is_empty(), "missing in es.ftl: {missing_es:?}");
        assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
        assert!(!en.is_empty());
    }

    #[test]
    fn catalogues_parse_without_errors() {
        for (name, src) in [("en", EN), ("es", ES)] {
            if let Err((_, errs)) = FluentResource::try_new(src.to_string()) {
                panic!("{name}.ftl: {errs:?}");
            }
        }
    }

    #[test]
    fn falls_back_to_english_then_key() {
        let i = I18n::new();
        assert_eq!(i.t(Lang::Es, "no-such-key", &[]), "no-such-key");
        assert_eq!(i.t(Lang::En, "lang-name", &[]), "English");
        assert_eq!(i.t(Lang::Es, "lang-name", &[]), "Español");
    }
}
