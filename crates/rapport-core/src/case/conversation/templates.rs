//! Reply templates, one per RESOLVED step, in English and Spanish: built in
//! (below) and replaced per organization. A saved template is checked with
//! [`crate::mail_template::check`]: a placeholder other than
//! [`PLACEHOLDERS`] is a 422 naming the field (`body_es`, ...).

use crate::case::resolved::Step;
use crate::lang::Lang;
use crate::mail_template::{check, render, BODY_MAX, SUBJECT_MAX};
use crate::validate::FieldErrors;
use serde::{Deserialize, Serialize};

/// What a reply template may name: the customer's name, the case number,
/// the agent's name and the company's name.
pub const PLACEHOLDERS: &[&str] = &["name", "case", "agent", "company"];

/// A step's reply template in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseReplyTemplate {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub step: Step,
    pub subject_en: String,
    pub body_en: String,
    pub subject_es: String,
    pub body_es: String,
    /// Written by the organization (else built in).
    pub custom: bool,
}

/// A template as sent: the four texts.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseReplyTemplateDraft {
    pub subject_en: Option<String>,
    pub body_en: Option<String>,
    pub subject_es: Option<String>,
    pub body_es: Option<String>,
}

/// Values for the placeholders of one reply.
#[derive(Debug, Clone, Default)]
pub struct ReplyValues<'a> {
    pub name: &'a str,
    pub case: &'a str,
    pub agent: &'a str,
    pub company: &'a str,
}

impl CaseReplyTemplateDraft {
    /// Every field is required and checked; all problems at once.
    pub fn validate(&self, step: Step) -> Result<CaseReplyTemplate, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut field = |name: &str, v: &Option<String>, max: usize| -> String {
            let t = v.as_deref().map(str::trim).unwrap_or("");
            if t.is_empty() {
                e.add(name, "required", "is required");
            } else if t.contains('\0') {
                e.add(name, "invalid", "must not contain NUL characters");
            } else {
                check(&mut e, name, t, max, PLACEHOLDERS);
            }
            t.to_string()
        };
        let t = CaseReplyTemplate {
            step,
            subject_en: field("subject_en", &self.subject_en, SUBJECT_MAX),
            body_en: field("body_en", &self.body_en, BODY_MAX),
            subject_es: field("subject_es", &self.subject_es, SUBJECT_MAX),
            body_es: field("body_es", &self.body_es, BODY_MAX),
            custom: true,
        };
        e.into_result(t)
    }
}

impl CaseReplyTemplate {
    pub fn subject(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.subject_en,
            Lang::Es => &self.subject_es,
        }
    }

    pub fn body(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.body_en,
            Lang::Es => &self.body_es,
        }
    }

    /// Subject and body in `lang` with the placeholders filled.
    pub fn render(&self, lang: Lang, v: &ReplyValues<'_>) -> (String, String) {
        let values = [("name", v.name), ("case", v.case), ("agent", v.agent), ("company", v.company)];
        (render(self.subject(lang), &values), render(self.body(lang), &values))
    }
}

/// The built-in template of a step.
pub fn builtin(step: Step) -> CaseReplyTemplate {
    let (subject_en, body_en, subject_es, body_es) = match step {
        Step::Respond => (
            "We are sorry, {{name}}",
            "Hello {{name}},\n\nThank you for telling us. We are sorry: this is not the experience we want you to have. I am looking into it personally and will get back to you shortly.\n\n{{agent}}\n{{company}}",
            "Lo sentimos, {{name}}",
            "Hola {{name}}:\n\nGracias por contárnoslo. Lo sentimos mucho: no es la experiencia que queremos que tenga. Me ocupo personalmente y le responderé en breve.\n\n{{agent}}\n{{company}}",
        ),
        Step::Empathize => (
            "We understand, {{name}}",
            "Hello {{name}},\n\nI understand how frustrating this must have been, and I apologize for the trouble it caused you.\n\n{{agent}}\n{{company}}",
            "Le entendemos, {{name}}",
            "Hola {{name}}:\n\nEntiendo lo frustrante que ha debido de ser y le pido disculpas por las molestias.\n\n{{agent}}\n{{company}}",
        ),
        Step::Seek => (
            "A few questions about your case {{case}}",
            "Hello {{name}},\n\nTo solve this properly, could you tell me a little more about what happened?\n\n{{agent}}\n{{company}}",
            "Unas preguntas sobre su caso {{case}}",
            "Hola {{name}}:\n\nPara resolverlo bien, ¿podría contarme un poco más de lo que ocurrió?\n\n{{agent}}\n{{company}}",
        ),
        Step::Open => (
            "How would you like us to put it right?",
            "Hello {{name}},\n\nWhat would make this right for you? Here is what I can propose; tell me if you would prefer something else.\n\n{{agent}}\n{{company}}",
            "¿Cómo le gustaría que lo solucionemos?",
            "Hola {{name}}:\n\n¿Qué lo solucionaría para usted? Esto es lo que le puedo proponer; dígame si prefiere otra cosa.\n\n{{agent}}\n{{company}}",
        ),
        Step::Listen => (
            "Thank you for your answer, {{name}}",
            "Hello {{name}},\n\nThank you for explaining. I have noted everything you said and am acting on it.\n\n{{agent}}\n{{company}}",
            "Gracias por su respuesta, {{name}}",
            "Hola {{name}}:\n\nGracias por explicármelo. He anotado todo lo que me dice y ya me estoy ocupando.\n\n{{agent}}\n{{company}}",
        ),
        Step::Verify => (
            "Is everything solved? (case {{case}})",
            "Hello {{name}},\n\nWe have done what we agreed. Are you happy with the solution? A short answer to this e-mail is enough.\n\n{{agent}}\n{{company}}",
            "¿Está todo resuelto? (caso {{case}})",
            "Hola {{name}}:\n\nHemos hecho lo acordado. ¿Está conforme con la solución? Basta con una respuesta breve a este correo.\n\n{{agent}}\n{{company}}",
        ),
        Step::Eliminate => (
            "What we changed after your feedback",
            "Hello {{name}},\n\nThanks to you, we have changed how we work so that this does not happen again.\n\n{{agent}}\n{{company}}",
            "Lo que hemos cambiado gracias a usted",
            "Hola {{name}}:\n\nGracias a usted, hemos cambiado nuestra forma de trabajar para que no vuelva a ocurrir.\n\n{{agent}}\n{{company}}",
        ),
        Step::Document => (
            "Thank you, {{name}}",
            "Hello {{name}},\n\nYour case {{case}} is closed. Thank you again for helping us improve.\n\n{{agent}}\n{{company}}",
            "Gracias, {{name}}",
            "Hola {{name}}:\n\nSu caso {{case}} queda cerrado. Gracias de nuevo por ayudarnos a mejorar.\n\n{{agent}}\n{{company}}",
        ),
    };
    CaseReplyTemplate {
        step,
        subject_en: subject_en.into(),
        body_en: body_en.into(),
        subject_es: subject_es.into(),
        body_es: body_es.into(),
        custom: false,
    }
}

/// Every step's template: the organization's where it wrote one, else the
/// built-in one; in step order.
pub fn effective(custom: &[CaseReplyTemplate]) -> Vec<CaseReplyTemplate> {
    Step::ALL.into_iter().map(|s| custom.iter().find(|t| t.step == s).cloned().unwrap_or_else(|| builtin(s))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_template_checks_and_renders_in_both_languages() {
        for step in Step::ALL {
            let t = builtin(step);
            let draft = CaseReplyTemplateDraft {
                subject_en: Some(t.subject_en.clone()),
                body_en: Some(t.body_en.clone()),
                subject_es: Some(t.subject_es.clone()),
                body_es: Some(t.body_es.clone()),
            };
            assert!(draft.validate(step).is_ok(), "{step:?}");
            assert_ne!(t.body_en, t.body_es, "{step:?} is translated");
        }
        let v = ReplyValues { name: "Ana", case: "17", agent: "Kevin", company: "Acme" };
        let (subject, body) = builtin(Step::Respond).render(Lang::Es, &v);
        assert_eq!(subject, "Lo sentimos, Ana");
        assert!(body.starts_with("Hola Ana:") && body.ends_with("Kevin\nAcme"), "{body}");
    }

    #[test]
    fn an_unknown_placeholder_names_its_field() {
        let draft = CaseReplyTemplateDraft {
            subject_en: Some("Sorry".into()),
            body_en: Some("Hi {{name}}".into()),
            subject_es: Some("Perdón".into()),
            body_es: Some("Hola {{nombre}}".into()),
        };
        let e = draft.validate(Step::Respond).unwrap_err();
        assert_eq!(e.get("body_es").unwrap().code, "unknown_placeholder");
        assert!(e.get("body_es").unwrap().message.contains("{{nombre}}"));
        assert!(e.get("body_en").is_none());
        let e = CaseReplyTemplateDraft::default().validate(Step::Open).unwrap_err();
        assert_eq!(e.get("subject_en").unwrap().code, "required");
    }

    #[test]
    fn the_organizations_template_replaces_the_builtin_one() {
        let mine = CaseReplyTemplate { subject_en: "Mine".into(), custom: true, ..builtin(Step::Verify) };
        let all = effective(std::slice::from_ref(&mine));
        assert_eq!(all.len(), 8);
        assert_eq!(all[5], mine);
        assert!(!all[0].custom);
    }
}
