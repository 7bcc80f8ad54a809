//! The demo's surveys, one per experience, and the comments its seeded
//! respondents write. Every survey asks NPS and "why"; the subscription and
//! support surveys also ask CES, CSAT and a rating, so that every metric on
//! the dashboard (and the intent criteria on CSAT and CES) has answers.

use rapport_core::survey::{Localized, Question, QuestionType, SurveyDraft};
use rapport_core::Id;

/// A scored question besides NPS: key, type, scale top (ratings only), and
/// the question in English and Spanish.
pub type Extra = (&'static str, QuestionType, Option<i64>, &'static str, &'static str);

/// Per experience: the touchpoint its survey is attached to, the survey's
/// title and intro in English and Spanish.
pub struct SurveySeed {
    pub touchpoint: &'static str,
    pub title: (&'static str, &'static str),
    pub intro: (&'static str, &'static str),
    /// What the NPS question asks about, in English and Spanish.
    pub about: (&'static str, &'static str),
    /// Optional questions after NPS (optional so that the two-question flow
    /// a customer sees stays as short as before).
    pub extra: &'static [Extra],
}

pub const SURVEYS: [SurveySeed; 3] = [
    SurveySeed {
        touchpoint: "Online checkout",
        title: ("Your first order", "Tu primer pedido"),
        intro: (
            "Thanks for your first order! Two quick questions help us make the next one better.",
            "¡Gracias por tu primer pedido! Dos preguntas rápidas nos ayudan a mejorar el próximo.",
        ),
        about: ("Aurora Coffee Roasters", "Aurora Coffee Roasters"),
        extra: &[],
    },
    SurveySeed {
        touchpoint: "Subscription management page",
        title: ("Your coffee subscription", "Tu suscripción de café"),
        intro: (
            "You manage your subscription with us. Tell us how it is going.",
            "Gestionas tu suscripción con nosotros. Cuéntanos qué tal va.",
        ),
        about: ("our coffee subscription", "nuestra suscripción de café"),
        extra: &[
            (
                "coffee",
                QuestionType::Rating,
                Some(5),
                "How would you rate the coffee in your last delivery?",
                "¿Cómo valoras el café de tu última entrega?",
            ),
            (
                "ces",
                QuestionType::Ces,
                None,
                "Aurora made it easy for me to manage my subscription.",
                "Aurora me facilitó gestionar mi suscripción.",
            ),
        ],
    },
    SurveySeed {
        touchpoint: "Support chat",
        title: ("Your support conversation", "Tu conversación con soporte"),
        intro: (
            "You recently talked to our customer care team. How did we do?",
            "Hace poco hablaste con nuestro equipo de atención al cliente. ¿Qué tal lo hicimos?",
        ),
        about: ("Aurora's customer care", "la atención al cliente de Aurora"),
        extra: &[
            (
                "csat",
                QuestionType::Csat,
                None,
                "How satisfied are you with how we handled your request?",
                "¿Qué tan satisfecho estás con cómo atendimos tu solicitud?",
            ),
            (
                "ces",
                QuestionType::Ces,
                None,
                "Aurora made it easy for me to handle my issue.",
                "Aurora me facilitó resolver mi problema.",
            ),
        ],
    },
];

/// Comments by band (detractor, passive, promoter), English and Spanish.
pub const COMMENTS: [&[(&str, &str)]; 3] = [
    &[
        ("The coffee arrived late and the beans were stale.", "El café llegó tarde y los granos estaban rancios."),
        ("Nobody answered my question.", "Nadie respondió a mi pregunta."),
        ("I was charged twice and had to chase a refund.", "Me cobraron dos veces y tuve que reclamar el reembolso."),
        ("The bag was torn when it arrived.", "La bolsa llegó rota."),
        ("Too expensive for what you get.", "Demasiado caro para lo que ofrece."),
    ],
    &[
        ("Good coffee, but delivery took too long.", "Buen café, pero la entrega tardó demasiado."),
        ("Fine, nothing special.", "Bien, nada especial."),
        ("The website is a bit confusing.", "La web es un poco confusa."),
        (
            "Nice beans, I wish there were more decaf options.",
            "Buenos granos, ojalá hubiera más opciones descafeinadas.",
        ),
    ],
    &[
        ("Fresh, delicious coffee every time.", "Café fresco y delicioso cada vez."),
        ("Friendly people who solved my problem fast.", "Gente amable que resolvió mi problema rápido."),
        ("The brew guide made my mornings better.", "La guía de preparación mejoró mis mañanas."),
        ("The coffee finder picked exactly my taste.", "El buscador de café acertó con mi gusto."),
        ("Like my neighbourhood café, but at home.", "Como mi cafetería de barrio, pero en casa."),
    ],
];

/// What unhappy subscribers say once the subscription page got worse.
pub const DECLINE_COMMENTS: [(&str, &str); 3] = [
    ("Since the new subscription page I cannot find how to pause.", "Desde la nueva página no encuentro cómo pausar."),
    ("Skipping a delivery now takes five clicks.", "Saltar una entrega ahora requiere cinco clics."),
    (
        "The page logged me out while I was changing my grind.",
        "La página me cerró la sesión mientras cambiaba la molienda.",
    ),
];

fn localized((en, es): (&str, &str)) -> Localized {
    Localized { en: en.into(), es: es.into() }
}

fn question(key: &str, kind: QuestionType, scale_max: Option<i64>, en: String, es: String, required: bool) -> Question {
    Question {
        key: key.into(),
        kind,
        text: Localized { en, es },
        required,
        choices: Vec::new(),
        scale_max,
        show_if: None,
        ..Default::default()
    }
}

pub fn survey_draft(seed: &SurveySeed, touchpoint: Id) -> SurveyDraft {
    let (about_en, about_es) = seed.about;
    let mut questions = vec![question(
        "nps",
        QuestionType::Nps,
        None,
        format!("How likely are you to recommend {about_en} to a friend or colleague?"),
        format!("¿Qué probabilidad hay de que recomiendes {about_es} a un amigo o colega?"),
        true,
    )];
    for &(key, kind, scale_max, en, es) in seed.extra {
        questions.push(question(key, kind, scale_max, en.into(), es.into(), false));
    }
    questions.push(question(
        "why",
        QuestionType::Text,
        None,
        "What is the main reason for your score?".into(),
        "¿Cuál es la razón principal de tu puntuación?".into(),
        false,
    ));
    SurveyDraft {
        touchpoint_id: Some(touchpoint),
        title: Some(localized(seed.title)),
        intro: Some(localized(seed.intro)),
        questions,
        fatigue_days: Some(30),
    }
}
