//! The texts of invitation, reminder and thank-you e-mails, in English and
//! Spanish, with `{{placeholder}}` names (`crate::mail_template`), and the
//! defaults offered when none is written.

use crate::lang::Lang;
use crate::mail_template::{self, BODY_MAX, SUBJECT_MAX};
use crate::validate::FieldErrors;
use serde::{Deserialize, Serialize};

/// What an invitation (or a reminder) may name.
pub const INVITATION_PLACEHOLDERS: &[&str] = &["name", "link", "company", "survey", "unsubscribe"];
/// What a thank-you note may name (no survey link: they answered).
pub const THANKS_PLACEHOLDERS: &[&str] = &["name", "company", "survey", "unsubscribe"];

/// A subject and a body per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = InvitationTemplate))]
pub struct MailTemplate {
    pub subject_en: String,
    pub body_en: String,
    pub subject_es: String,
    pub body_es: String,
}

impl MailTemplate {
    /// The default invitation.
    pub fn invitation() -> MailTemplate {
        MailTemplate {
            subject_en: "{{company}} would like your opinion".into(),
            body_en: "Hello {{name}},\n\n{{company}} would like to know how we did. It takes a minute:\n\n{{link}}\n\n\
                      Thank you.\n\nTo receive no more surveys from us: {{unsubscribe}}\n"
                .into(),
            subject_es: "{{company}} quiere conocer su opinión".into(),
            body_es: "Hola {{name}}:\n\nEn {{company}} queremos saber cómo lo hicimos. Le llevará un minuto:\n\n\
                      {{link}}\n\nGracias.\n\nPara no recibir más encuestas nuestras: {{unsubscribe}}\n"
                .into(),
        }
    }

    /// The default thank-you note.
    pub fn thanks() -> MailTemplate {
        MailTemplate {
            subject_en: "Thank you for your answer".into(),
            body_en: "Hello {{name}},\n\nThank you for answering \"{{survey}}\". Your opinion helps {{company}} \
                      do better.\n\nTo receive no more e-mails like this: {{unsubscribe}}\n"
                .into(),
            subject_es: "Gracias por su respuesta".into(),
            body_es: "Hola {{name}}:\n\nGracias por responder «{{survey}}». Su opinión ayuda a {{company}} a \
                      mejorar.\n\nPara no recibir más correos como este: {{unsubscribe}}\n"
                .into(),
        }
    }

    /// Checks the four texts, naming `{prefix}.subject_en` and so on.
    pub fn check(&self, e: &mut FieldErrors, prefix: &str, allowed: &[&str]) {
        let fields = [
            ("subject_en", &self.subject_en, SUBJECT_MAX),
            ("body_en", &self.body_en, BODY_MAX),
            ("subject_es", &self.subject_es, SUBJECT_MAX),
            ("body_es", &self.body_es, BODY_MAX),
        ];
        for (name, text, max) in fields {
            let field = format!("{prefix}.{name}");
            if text.trim().is_empty() {
                e.add(field, "required", "write a text");
            } else if text.contains('\0') {
                e.add(field, "invalid", "no NUL characters");
            } else {
                mail_template::check(e, &field, text, max, allowed);
            }
        }
    }

    /// The subject and body in `lang`.
    pub fn pick(&self, lang: Lang) -> (&str, &str) {
        match lang {
            Lang::En => (&self.subject_en, &self.body_en),
            Lang::Es => (&self.subject_es, &self.body_es),
        }
    }

    /// The e-mail in `lang` with the values filled in; a reminder's subject
    /// is prefixed.
    pub fn render(&self, lang: Lang, values: &[(&str, &str)], reminder: bool) -> (String, String) {
        let (subject, body) = self.pick(lang);
        let mut subject = mail_template::one_line(&mail_template::render(subject, values));
        if reminder {
            let prefix = match lang {
                Lang::En => "Reminder: ",
                Lang::Es => "Recordatorio: ",
            };
            subject.insert_str(0, prefix);
        }
        (subject, mail_template::render(body, values))
    }
}
