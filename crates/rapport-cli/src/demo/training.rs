//! Demo data for training (E. People): the intent module (generated when the
//! demo's intent versions were published, regenerated here in case the seed
//! order changes), "Handling a late delivery" for the Customer care and
//! Logistics departments and the Delivery touchpoint, "Brew guide basics"
//! for the Cafés; some people passed, some failed then passed, some are
//! overdue (assigned three weeks ago, due in a week).

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use rapport_core::people::training::{Audience, ChoiceDraft, ModuleDraft, QuestionDraft, QuizDraft};
use rapport_core::Id;
use rapport_store::Store;
use std::collections::HashMap;

fn choice(en: &str, es: &str, correct: bool) -> ChoiceDraft {
    ChoiceDraft { text_en: Some(en.into()), text_es: Some(es.into()), correct }
}

fn question(en: &str, es: &str, multiple: bool, choices: Vec<ChoiceDraft>) -> QuestionDraft {
    QuestionDraft { text_en: Some(en.into()), text_es: Some(es.into()), multiple, choices }
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    store.regenerate_intent_module(org, now - Duration::days(10)).await?;
    let assigned = now - Duration::days(21);
    let late = ModuleDraft {
        title_en: Some("Handling a late delivery".into()),
        title_es: Some("Cómo gestionar una entrega tardía".into()),
        body_en: Some(
            "## Why it matters\n\nA late parcel is the moment a subscriber decides whether we keep our promise.\n\n\
             ## What to do\n\n1. Apologise first, before any explanation.\n2. Give a new delivery date you can keep.\n\
             3. Refund the shipping without being asked.\n4. Follow up the day after it arrives.\n"
                .into(),
        ),
        body_es: Some(
            "## Por qué importa\n\nUn paquete que llega tarde es el momento en que el suscriptor decide si cumplimos.\n\n\
             ## Qué hacer\n\n1. Pida disculpas primero, antes de explicar nada.\n2. Dé una nueva fecha que pueda cumplir.\n\
             3. Devuelva el envío sin que se lo pidan.\n4. Haga seguimiento el día después de la entrega.\n"
                .into(),
        ),
        audience: Audience {
            departments: vec!["Customer care".into(), "Logistics".into()],
            touchpoints: touchpoints.get("Delivery").copied().into_iter().collect(),
            ..Default::default()
        },
        due_days: Some(7),
        quiz: Some(QuizDraft {
            pass_mark: Some(100),
            questions: vec![
                question(
                    "What do you do first?",
                    "¿Qué hace primero?",
                    false,
                    vec![
                        choice("Apologise", "Pedir disculpas", true),
                        choice("Explain the courier's delay", "Explicar el retraso de la mensajería", false),
                    ],
                ),
                question(
                    "What do you offer?",
                    "¿Qué ofrece?",
                    true,
                    vec![
                        choice("A new date you can keep", "Una nueva fecha que pueda cumplir", true),
                        choice("A refund of the shipping", "La devolución del envío", true),
                        choice("A discount code for next year", "Un código de descuento para el año que viene", false),
                    ],
                ),
            ],
        }),
    };
    let brew = ModuleDraft {
        title_en: Some("Brew guide basics".into()),
        title_es: Some("Guía básica de preparación".into()),
        body_en: Some("## Ratios\n\n- Filter: 60 g per litre\n- Espresso: 1:2 in 28 seconds\n".into()),
        body_es: Some("## Proporciones\n\n- Filtro: 60 g por litro\n- Espresso: 1:2 en 28 segundos\n".into()),
        audience: Audience { departments: vec!["Cafés".into()], ..Default::default() },
        due_days: Some(14),
        quiz: Some(QuizDraft {
            pass_mark: Some(100),
            questions: vec![question(
                "How much coffee per litre of filter?",
                "¿Cuánto café por litro de filtro?",
                false,
                vec![choice("60 g", "60 g", true), choice("30 g", "30 g", false), choice("100 g", "100 g", false)],
            )],
        }),
    };
    let late = store.create_module(org, &late.validate().map_err(anyhow::Error::msg_fields)?, "demo", assigned).await?;
    let brew = store.create_module(org, &brew.validate().map_err(anyhow::Error::msg_fields)?, "demo", assigned).await?;
    let person = |email: &str| people.get(email).copied();
    // Rosa passed at once; Carlos failed then passed; the rest are overdue.
    if let Some(rosa) = person("rosa.jimenez@aurora.example") {
        store.attempt_quiz(org, late.id, rosa, &vec![vec![0], vec![0, 1]], assigned + Duration::days(2)).await?;
    }
    if let Some(carlos) = person("carlos.mendoza@aurora.example") {
        store.attempt_quiz(org, late.id, carlos, &vec![vec![1], vec![0]], assigned + Duration::days(3)).await?;
        store.attempt_quiz(org, late.id, carlos, &vec![vec![0], vec![0, 1]], assigned + Duration::days(4)).await?;
    }
    for email in ["jamal.price@aurora.example", "sofia.castillo@aurora.example"] {
        if let Some(p) = person(email) {
            store.attempt_quiz(org, brew.id, p, &vec![vec![0]], assigned + Duration::days(5)).await?;
        }
    }
    if let Some(ana) = person("ana.torres@aurora.example") {
        store.attempt_quiz(org, brew.id, ana, &vec![vec![1]], assigned + Duration::days(6)).await?;
    }
    // The intent module: read by the leadership.
    if let Some(intent) = store.list_modules(org, None, 0).await?.into_iter().find(|m| m.intent_version.is_some()) {
        for email in ["lucia.fernandez@aurora.example", "rosa.jimenez@aurora.example", "hugo.martin@aurora.example"] {
            if let Some(p) = person(email) {
                store.acknowledge_module(org, intent.id, p, now - Duration::days(2)).await?;
            }
        }
    }
    Ok(())
}

/// Field errors as an `anyhow` error.
trait MsgFields {
    fn msg_fields(e: rapport_core::validate::FieldErrors) -> anyhow::Error;
}

impl MsgFields for anyhow::Error {
    fn msg_fields(e: rapport_core::validate::FieldErrors) -> anyhow::Error {
        anyhow::anyhow!("demo training module: {e:?}")
    }
}
