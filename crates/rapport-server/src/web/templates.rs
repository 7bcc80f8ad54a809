//! The template environment: MiniJinja templates compiled into the binary,
//! with `t(key, **args)` reading the translation catalogue in the page's
//! language (the `lang` variable every page context carries), and filters
//! that format numbers and dates the way that language writes them.

use super::format::{fmt_metric, fmt_money, fmt_number, fmt_percent};
use crate::i18n::I18n;
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{Environment, Error, State};
use rapport_core::lang::Lang;
use std::sync::Arc;

fn page_lang(state: &State<'_, '_>) -> Lang {
    state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::parse)).unwrap_or_default()
}

fn number(v: &Value) -> f64 {
    f64::try_from(v.clone()).unwrap_or(0.0)
}

// The closure minijinja-embed generates writes `Environment` without `<'_>`.
#[allow(elided_lifetimes_in_paths)]
pub fn environment(i18n: Arc<I18n>) -> Environment<'static> {
    let mut env = Environment::new();
    minijinja_embed::load_templates!(&mut env);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let t = i18n.clone();
    env.add_function("t", move |state: &State<'_, '_>, key: &str, kwargs: Kwargs| -> Result<String, Error> {
        let lang = page_lang(state);
        let mut args: Vec<(String, FluentValue<'static>)> = Vec::new();
        for name in kwargs.args() {
            let v: Value = kwargs.get(name)?;
            let fv = match v.kind() {
                ValueKind::Number => FluentValue::from(number(&v)),
                _ => FluentValue::from(v.to_string()),
            };
            args.push((name.to_string(), fv));
        }
        let borrowed: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        Ok(t.t(lang, key, &borrowed))
    });
    env.add_filter("num", |state: &State<'_, '_>, v: Value| fmt_number(page_lang(state), number(&v)));
    env.add_filter("pct", |state: &State<'_, '_>, v: Value| fmt_percent(page_lang(state), number(&v)));
    env.add_filter("money", |state: &State<'_, '_>, v: Value| fmt_money(page_lang(state), number(&v)));
    env.add_filter("metric_value", |state: &State<'_, '_>, v: Value, metric: &str| {
        fmt_metric(page_lang(state), metric, number(&v))
    });
    // One path segment: everything but unreserved characters escaped.
    env.add_filter("segment", |v: Value| {
        let s = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        crate::encode::segment(&s)
    });
    // One query-string value (minijinja's `urlencode` needs a feature the
    // build does not enable; one encoder serves the Rust side and this).
    env.add_filter("query", |v: Value| {
        let s = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        crate::encode::query(&s)
    });
    // A channel code in words: its `channel-<code>` message, else the code
    // with spaces for underscores (a code typed by hand), never `app_review`.
    let c = i18n.clone();
    env.add_filter("channel", move |state: &State<'_, '_>, v: Value| {
        let code = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        channel_name(&c, page_lang(state), &code)
    });
    let d = i18n.clone();
    env.add_filter("date", move |state: &State<'_, '_>, v: Value| {
        format_date(&d, page_lang(state), &v.to_string(), false)
    });
    env.add_filter("datetime", move |state: &State<'_, '_>, v: Value| {
        format_date(&i18n, page_lang(state), &v.to_string(), true)
    });
    env
}

/// A channel's name in `lang` (see the `channel` filter).
pub fn channel_name(i18n: &I18n, lang: Lang, code: &str) -> String {
    let key = format!("channel-{}", code.trim());
    if i18n.has(lang, &key) {
        return i18n.t(lang, &key, &[]);
    }
    code.trim().replace('_', " ")
}

/// "5 Jan 2026" / "5 ene 2026", optionally with the UTC time; what cannot be
/// read as a date is shown as it is.
fn format_date(i18n: &I18n, lang: Lang, iso: &str, with_time: bool) -> String {
    let Ok(day) = chrono::NaiveDate::parse_from_str(iso.get(..10).unwrap_or(""), "%Y-%m-%d") else {
        return iso.to_string();
    };
    use chrono::Datelike;
    let month = i18n.t(lang, &format!("month-{}", day.month()), &[]);
    let date = format!("{} {} {}", day.day(), month, day.year());
    match iso.get(11..16) {
        Some(time) if with_time => format!("{date}, {time} UTC"),
        _ => date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use std::collections::BTreeSet;

    /// Every literal key a template passes to `t(...)`.
    fn template_keys() -> BTreeSet<(String, String)> {
        let env = environment(Arc::new(I18n::new()));
        let mut keys = BTreeSet::new();
        for (name, tmpl) in env.templates() {
            let src = tmpl.source();
            for quote in ['"', '\''] {
                let open = format!("t({quote}");
                let mut rest = src;
                while let Some(i) = rest.find(&open) {
                    // `t(` must not be the end of another name, e.g. `list(`.
                    let before = rest[..i].chars().last();
                    rest = &rest[i + open.len()..];
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    // A key ending in '-' is a prefix completed at render
                    // time (`t("metric-" ~ m)`); those are checked below.
                    if let Some(key) = rest.find(quote).map(|end| &rest[..end]).filter(|k| !k.ends_with('-')) {
                        keys.insert((name.to_string(), key.to_string()));
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn every_template_key_is_in_both_catalogues() {
        let keys = template_keys();
        assert!(keys.len() > 100, "the scan found only {} keys", keys.len());
        let i18n = I18n::new();
        let mut missing = Vec::new();
        for (template, key) in &keys {
            for lang in Lang::ALL {
                if !i18n.has(lang, key) {
                    missing.push(format!("{template}: {key} ({})", lang.code()));
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from the catalogues:\n{}", missing.join("\n"));
    }

    #[test]
    fn channel_codes_are_shown_in_words() {
        let i18n = I18n::new();
        assert_eq!(channel_name(&i18n, Lang::En, "app_review"), "App store reviews");
        assert_eq!(channel_name(&i18n, Lang::Es, "app_review"), "Reseñas en tiendas de aplicaciones");
        assert_eq!(channel_name(&i18n, Lang::Es, "mobile_app"), "Aplicación móvil");
        // A code typed by hand, with no message: words, not underscores.
        assert_eq!(channel_name(&i18n, Lang::En, "trade_fair"), "trade fair");
        for code in super::super::view::all_channel_keys() {
            for lang in [Lang::En, Lang::Es] {
                assert!(!channel_name(&i18n, lang, code).contains('_'), "{code} in {lang:?}");
            }
        }
    }

    #[test]
    fn keys_built_from_domain_values_exist() {
        use rapport_core::role::Role;
        let i18n = I18n::new();
        let mut keys: Vec<String> = Vec::new();
        keys.extend(super::super::view::metric_keys().iter().map(|k| format!("metric-{k}")));
        keys.extend(super::super::view::period_keys().iter().map(|k| format!("period-{k}")));
        keys.extend(super::super::view::all_channel_keys().iter().map(|k| format!("channel-{k}")));
        keys.extend(Role::ALL.iter().map(|r| format!("role-{}", r.as_str())));
        keys.extend((1..=12).map(|m| format!("month-{m}")));
        for code in [
            "required",
            "too_long",
            "invalid_email",
            "unknown_id",
            "out_of_range",
            "duplicate",
            "taken",
            "too_many",
            "invalid_type",
            "invalid_slug",
            "in_use",
            "person_left",
            "same_person",
            "not_a_number",
            "invalid_date",
            "invalid",
            "out_of_order",
            "not_resolved",
            "closed",
            "open",
            "open_case",
        ] {
            keys.push(format!("error-{code}"));
        }
        for status in ["400", "401", "403", "404", "409", "422", "500"] {
            keys.push(format!("error-page-title-{status}"));
            keys.push(format!("error-page-text-{status}"));
        }
        keys.extend(["experience", "touchpoint"].map(|k| format!("gap-kind-{k}")));
        keys.extend(["response", "event"].map(|k| format!("timeline-kind-{k}")));
        keys.extend(["draft", "published", "closed"].map(|k| format!("survey-status-{k}")));
        keys.extend(super::super::surveys::TYPES.map(|k| format!("survey-type-{}", k.key())));
        keys.extend(super::super::surveys::OPS.map(|k| format!("survey-op-{}", k.key())));
        for kind in ["thanks", "already", "closed", "link-invalid", "link-expired", "rate-limited"] {
            keys.push(format!("survey-msg-title-{kind}"));
            keys.push(format!("survey-msg-text-{kind}"));
        }
        keys.extend((1..=5).map(|i| format!("importance-{i}")));
        keys.extend(["all", "any"].map(|k| format!("segment-join-{k}")));
        keys.extend(["equals", "one_of", "range"].map(|k| format!("segment-op-name-{k}")));
        keys.extend(["at_least", "at_most"].map(|k| format!("comparator-{k}")));
        keys.extend(rapport_core::case::resolved::Step::ALL.map(|s| format!("case-step-{}", s.key())));
        keys.extend(["open", "closed"].map(|k| format!("case-status-{k}")));
        keys.extend(super::super::cases::SHOWS.map(|k| format!("cases-show-{k}")));
        keys.extend(super::super::cases::DAYS.map(|k| format!("weekday-{k}")));
        keys.extend(["score", "comment", "event"].map(|k| format!("case-rule-kind-{k}")));
        keys.extend(["both", "verify", "document"].map(|k| format!("case-close-refused-{k}")));
        keys.extend(
            ["opened", "joined", "assigned", "escalated", "breached", "step", "closed", "reopened"]
                .map(|k| format!("case-history-{k}")),
        );
        keys.extend(["nps", "csat", "ces", "rating"].map(|k| format!("metric-{k}")));
        for flash in super::super::ctx::FLASHES {
            keys.push(format!("flash-{flash}"));
        }
        for k in &keys {
            for lang in Lang::ALL {
                assert!(i18n.has(lang, k), "{k} missing in {}", lang.code());
            }
        }
    }

    #[test]
    fn dates_per_language() {
        let i18n = I18n::new();
        assert_eq!(format_date(&i18n, Lang::En, "2026-01-05", false), "5 Jan 2026");
        assert_eq!(format_date(&i18n, Lang::Es, "2026-01-05T09:30:00Z", true), "5 ene 2026, 09:30 UTC");
        assert_eq!(format_date(&i18n, Lang::Es, "none", false), "none");
    }
}
