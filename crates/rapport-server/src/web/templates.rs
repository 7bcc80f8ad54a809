//! The template environment: MiniJinja templates compiled into the binary,
//! with `t(key, **args)` reading the translation catalogue in the page's
//! language (the `lang` variable every page context carries).

use crate::i18n::I18n;
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{Environment, Error, State};
use rapport_core::lang::Lang;
use std::sync::Arc;

pub fn environment(i18n: Arc<I18n>) -> Environment<'static> {
    let mut env = Environment::new();
    minijinja_embed::load_templates!(&mut env);
    env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
        let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::parse)).unwrap_or_default();
        let mut args: Vec<(String, FluentValue<'static>)> = Vec::new();
        for name in kwargs.args() {
            let v: Value = kwargs.get(name)?;
            let fv = match v.kind() {
                ValueKind::Number => FluentValue::from(f64::try_from(v.clone()).unwrap_or(0.0)),
                _ => FluentValue::from(v.to_string()),
            };
            args.push((name.to_string(), fv));
        }
        let borrowed: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        Ok(i18n.t(lang, key, &borrowed))
    });
    env
}
