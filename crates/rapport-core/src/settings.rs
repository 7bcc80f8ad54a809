//! Organization settings (P4): the name, the default language and the
//! survey accent colour, as a change asks for them.
//!
//! Policy: a change names only what it changes; a field left out keeps its
//! value, `accent_colour: null` (or blank) goes back to Rapport's own
//! colour. A change naming nothing is refused (`body`), so that an empty
//! request never passes for a save. The time zone and working calendar are
//! the calendar's (`calendar::CalendarDraft`), the logo is an upload of its
//! own (`branding::check_logo`).

use crate::branding::{Accent, ACCENT_FIELD};
use crate::lang::Lang;
use crate::validate::{required_text, FieldErrors};
use serde::{Deserialize, Deserializer};

/// The longest organization name (as at creation: `org::NewOrganization`).
pub const NAME_MAX: usize = 120;

/// A change of settings as sent (the API's body, a form's fields).
#[derive(Debug, Default, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsDraft {
    /// The organization's name, shown in the app and on survey pages.
    #[cfg_attr(feature = "openapi", schema(max_length = 120))]
    pub name: Option<String>,
    /// The language of public survey pages (and of the sign-in page, with
    /// one organization) for visitors whose link, cookie or browser asks
    /// for none that Rapport speaks: "en" or "es".
    #[cfg_attr(feature = "openapi", schema(example = "es"))]
    pub default_language: Option<String>,
    /// The survey pages' accent colour, "#rrggbb", with a WCAG contrast of
    /// at least 4.5:1 against white (it carries white text); null or blank
    /// goes back to Rapport's colour.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable, example = "#1d4ed8"))]
    pub accent_colour: Option<Option<String>>,
}

/// `Some(value)` when the field is in the input, even as `null`; with
/// `#[serde(default)]`, an absent field stays `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A validated change: `None` keeps the field as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsChange {
    pub name: Option<String>,
    pub default_language: Option<Lang>,
    /// `Some(None)`: back to Rapport's colour.
    pub accent_colour: Option<Option<Accent>>,
}

impl SettingsChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.default_language.is_none() && self.accent_colour.is_none()
    }
}

impl SettingsDraft {
    pub fn validate(&self) -> Result<SettingsChange, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = self.name.as_deref().map(|n| required_text(&mut e, "name", Some(n), NAME_MAX));
        let default_language = self.default_language.as_deref().and_then(|l| {
            // Only the codes themselves: "es-MX" is a browser's, not a setting.
            let lang = Lang::ALL.into_iter().find(|x| x.code() == l.trim().to_ascii_lowercase());
            if lang.is_none() {
                e.add("default_language", "invalid_choice", "must be one of: en, es");
            }
            lang
        });
        let accent_colour = match &self.accent_colour {
            None => None,
            Some(None) => Some(None),
            Some(Some(t)) if t.trim().is_empty() => Some(None),
            Some(Some(t)) => match Accent::parse(t) {
                Ok(a) => Some(Some(a)),
                Err(err) => {
                    if let Some(f) = err.get(ACCENT_FIELD) {
                        e.add(ACCENT_FIELD, f.code, f.message.clone());
                    }
                    None
                }
            },
        };
        let change = SettingsChange { name, default_language, accent_colour };
        if e.is_empty() && change.is_empty() {
            e.add("body", "required", "send at least one of: name, default_language, accent_colour");
        }
        e.into_result(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(json: &str) -> SettingsDraft {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_change_keeps_what_it_does_not_name() {
        let c = draft(r##"{"name": " Acme Outdoor ", "default_language": "ES"}"##).validate().unwrap();
        assert_eq!(c.name.as_deref(), Some("Acme Outdoor"));
        assert_eq!(c.default_language, Some(Lang::Es));
        assert_eq!(c.accent_colour, None, "absent: kept");
        let c = draft(r#"{"accent_colour": null}"#).validate().unwrap();
        assert_eq!(c.accent_colour, Some(None), "null: back to the default");
        let c = draft(r#"{"accent_colour": "  "}"#).validate().unwrap();
        assert_eq!(c.accent_colour, Some(None));
        let c = draft(r##"{"accent_colour": "#1D4ED8"}"##).validate().unwrap();
        assert_eq!(c.accent_colour.unwrap().unwrap().hex(), "#1d4ed8");
    }

    #[test]
    fn each_field_is_checked() {
        let field = |json: &str, f: &str| draft(json).validate().unwrap_err().get(f).map(|e| e.code);
        assert_eq!(field("{}", "body"), Some("required"));
        assert_eq!(field(r#"{"name": "  "}"#, "name"), Some("required"));
        assert_eq!(field(&format!(r#"{{"name": "{}"}}"#, "x".repeat(121)), "name"), Some("too_long"));
        assert_eq!(field(r#"{"name": "a\u0000b"}"#, "name"), Some("invalid"));
        assert_eq!(field(r#"{"default_language": "fr"}"#, "default_language"), Some("invalid_choice"));
        assert_eq!(field(r#"{"default_language": "es-MX"}"#, "default_language"), Some("invalid_choice"));
        assert_eq!(field(r##"{"accent_colour": "#777777"}"##, "accent_colour"), Some("low_contrast"));
        assert_eq!(field(r#"{"accent_colour": "navy"}"#, "accent_colour"), Some("invalid"));
        let both = draft(r##"{"name": "", "accent_colour": "#ffff00"}"##).validate().unwrap_err();
        assert!(both.get("name").is_some() && both.get("accent_colour").is_some(), "{both}");
        assert!(both.get("body").is_none(), "{both}");
    }
}
