//! Demo data for knowledge (E. People): eight articles of the coffee
//! company's front line, in English and Spanish (one only in English, one
//! only in Spanish, to show the fallback), linked to the demo touchpoints,
//! root causes and case rules; a second version of one; uses from cases and
//! marks by the demo accounts (one article marked outdated for its owner).

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use rapport_core::people::knowledge::{ArticleDraft, MarkDraft};
use rapport_core::Id;
use rapport_store::knowledge::Author;
use rapport_store::{CaseFilter, Store};
use std::collections::HashMap;

struct Demo {
    kind: &'static str,
    en: Option<(&'static str, &'static str)>,
    es: Option<(&'static str, &'static str)>,
    touchpoints: &'static [&'static str],
    root_causes: &'static [&'static str],
    case_rules: &'static [&'static str],
    author: &'static str,
}

const ARTICLES: [Demo; 8] = [
    Demo {
        kind: "procedure",
        en: Some((
            "Late delivery: what to do",
            "## When an order is late\n\n1. Apologise and say you will sort it out now.\n2. Check the tracking link in the order.\n3. If the promised window has passed, **refund the shipping** straight away.\n4. If the parcel is lost, send a replacement today (no need to wait for the courier).\n5. Record the root cause *Late delivery* on the case.\n\nThe courier's phone line is in the logistics folder.",
        )),
        es: Some((
            "Entrega tardía: qué hacer",
            "## Cuando un pedido llega tarde\n\n1. Pide disculpas y di que lo resuelves ahora.\n2. Revisa el enlace de seguimiento del pedido.\n3. Si ya pasó la franja prometida, **reembolsa el envío** de inmediato.\n4. Si el paquete se perdió, envía un reemplazo hoy (sin esperar al mensajero).\n5. Registra la causa raíz *Late delivery* en el caso.",
        )),
        touchpoints: &["Delivery", "Support chat"],
        root_causes: &["Late delivery", "Carrier strike"],
        case_rules: &[],
        author: "carlos.mendoza@aurora.example",
    },
    Demo {
        kind: "faq",
        en: Some((
            "Refunds: how and when",
            "**How long does a refund take?** We refund to the original card within 5 working days.\n\n**Can I refund without the coffee back?** Yes, for damaged or stale bags: ask for a photo, not the bag.\n\n**Partial refunds:** only the items affected, plus shipping when the delivery was late.",
        )),
        es: Some((
            "Reembolsos: cómo y cuándo",
            "**¿Cuánto tarda un reembolso?** Devolvemos el dinero a la tarjeta original en 5 días laborables.\n\n**¿Puedo reembolsar sin que devuelvan el café?** Sí, si la bolsa llegó dañada o el café pasado: pide una foto, no la bolsa.\n\n**Reembolsos parciales:** solo los productos afectados, más el envío si la entrega fue tardía.",
        )),
        touchpoints: &["Replacement and refund", "Support chat", "Phone support"],
        root_causes: &["Billing error"],
        case_rules: &["Asks for a refund", "Refunds and cancellations"],
        author: "rosa.jimenez@aurora.example",
    },
    Demo {
        kind: "procedure",
        en: Some((
            "Damaged or stale coffee: replace first",
            "1. Ask for a photo of the bag and the roast date.\n2. Send a fresh bag of the same coffee today: no questions about fault.\n3. Tell the roastery (Quality and packing) with the batch number so they can check the lot.\n4. Record the root cause *Stale or damaged coffee*.",
        )),
        es: Some((
            "Café dañado o pasado: primero reponer",
            "1. Pide una foto de la bolsa y de la fecha de tueste.\n2. Envía hoy una bolsa nueva del mismo café, sin discutir la culpa.\n3. Avisa al tostadero (calidad y empaquetado) con el número de lote.\n4. Registra la causa raíz *Stale or damaged coffee*.",
        )),
        touchpoints: &["Unboxing and brew guide", "Roasting and packing", "Replacement and refund"],
        root_causes: &["Stale or damaged coffee"],
        case_rules: &[],
        author: "priya.nair@aurora.example",
    },
    Demo {
        kind: "faq",
        en: Some((
            "Pause, skip or change a subscription",
            "Customers can do it themselves on **My subscription**: *Pause* (up to 3 months), *Skip next delivery*, or *Change coffee*.\n\nIf they cannot find it, do it for them from the admin and send the link to the page for next time.",
        )),
        es: Some((
            "Pausar, saltar o cambiar una suscripción",
            "El cliente puede hacerlo en **Mi suscripción**: *Pausar* (hasta 3 meses), *Saltar el próximo envío* o *Cambiar de café*.\n\nSi no lo encuentra, hazlo tú desde la administración y envíale el enlace para la próxima vez.",
        )),
        touchpoints: &["Subscription management page", "Renewal reminder"],
        root_causes: &["Unclear subscription page"],
        case_rules: &[],
        author: "marta.ruiz@aurora.example",
    },
    Demo {
        kind: "product",
        en: Some((
            "Colombia Huila: our house filter coffee",
            "Washed Caturra and Castillo from Huila, **medium roast**. Notes of caramel, red apple and cocoa.\n\n| Brew | Grind | Ratio |\n|---|---|---|\n| V60 | medium-fine | 1:16 |\n| French press | coarse | 1:15 |\n\nBest within 6 weeks of the roast date.",
        )),
        es: Some((
            "Colombia Huila: nuestro café de filtro de la casa",
            "Caturra y Castillo lavados de Huila, **tueste medio**. Notas de caramelo, manzana roja y cacao.\n\n| Método | Molienda | Proporción |\n|---|---|---|\n| V60 | media-fina | 1:16 |\n| Prensa francesa | gruesa | 1:15 |\n\nMejor dentro de las 6 semanas desde el tueste.",
        )),
        touchpoints: &["Café counter order", "Unboxing and brew guide", "Café tasting bar"],
        root_causes: &[],
        case_rules: &[],
        author: "hugo.martin@aurora.example",
    },
    Demo {
        kind: "faq",
        en: Some((
            "Discount code not applied at checkout",
            "Codes apply to the coffee, not to shipping or gift cards, and only one per order.\n\nIf a valid code was not applied, **refund the difference** now and tell the web team in the case note.",
        )),
        es: None,
        touchpoints: &["Online checkout"],
        root_causes: &["Billing error"],
        case_rules: &["Very dissatisfied (CSAT 1-2)"],
        author: "tom.becker@aurora.example",
    },
    Demo {
        kind: "procedure",
        en: None,
        es: Some((
            "Atención en español por chat y teléfono",
            "Si el cliente escribe en español, contesta en español. Si no te sientes cómodo, pasa el caso a **Valeria Soto** (agente bilingüe) en la misma conversación, sin hacer esperar al cliente.\n\nLas plantillas en español están en la carpeta de atención al cliente.",
        )),
        touchpoints: &["Support chat", "Phone support"],
        root_causes: &["Slow support reply"],
        case_rules: &["Detractors (NPS 0-6)"],
        author: "valeria.soto@aurora.example",
    },
    Demo {
        kind: "product",
        en: Some((
            "Loyalty rewards: stamps and free drinks",
            "Every café drink earns a stamp in the app; **ten stamps are a free drink** of any size. Stamps last 12 months.\n\nOnline orders earn one stamp per bag.",
        )),
        es: Some((
            "Programa de fidelidad: sellos y bebidas gratis",
            "Cada bebida en la cafetería suma un sello en la app; **diez sellos son una bebida gratis** de cualquier tamaño. Los sellos duran 12 meses.\n\nLos pedidos en línea suman un sello por bolsa.",
        )),
        touchpoints: &["Loyalty rewards app", "Café counter order"],
        root_causes: &[],
        case_rules: &[],
        author: "pablo.navarro@aurora.example",
    },
];

fn ids(names: &[&str], known: &HashMap<String, Id>, what: &str) -> Result<Vec<Id>> {
    names.iter().map(|n| known.get(*n).copied().with_context(|| format!("demo {what} {n}"))).collect()
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let tps: HashMap<String, Id> = touchpoints.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let causes: HashMap<String, Id> = store.list_root_causes(org).await?.into_iter().map(|c| (c.name, c.id)).collect();
    let rules: HashMap<String, Id> = store.list_case_rules(org).await?.into_iter().map(|r| (r.name, r.id)).collect();
    let mut made = Vec::new();
    for (i, a) in ARTICLES.iter().enumerate() {
        let draft = ArticleDraft {
            kind: Some(a.kind.into()),
            title_en: a.en.map(|(t, _)| t.into()),
            body_en: a.en.map(|(_, b)| b.into()),
            title_es: a.es.map(|(t, _)| t.into()),
            body_es: a.es.map(|(_, b)| b.into()),
            touchpoint_ids: Some(ids(a.touchpoints, &tps, "touchpoint")?),
            root_cause_ids: Some(ids(a.root_causes, &causes, "root cause")?),
            case_rule_ids: Some(ids(a.case_rules, &rules, "case rule")?),
        };
        let input = draft.validate().map_err(|e| anyhow::anyhow!("demo article {i}: {e}"))?;
        let author = Author { person_id: people.get(a.author).copied(), account: a.author.into() };
        let written = now - Duration::days(60 - 5 * i as i64);
        made.push((store.create_article(org, &input, &author, written).await?.id, input));
    }
    // The refunds FAQ was revised once (version 2: the 5 days made explicit).
    let (refunds, mut v2) = made[1].clone();
    if let Some(en) = v2.en.as_mut() {
        en.body.push_str("\n\nThe customer gets an e-mail when the refund is sent.");
    }
    let care = Author { person_id: people.get("rosa.jimenez@aurora.example").copied(), account: "demo".into() };
    store.update_article(org, refunds, &v2, &care, now - Duration::days(10)).await?;

    // Uses from cases: agents opened the late-delivery and refund articles.
    let cases = store.list_cases(org, &CaseFilter { limit: 6, ..Default::default() }).await?;
    for (n, case) in cases.iter().enumerate() {
        for _ in 0..(3 - n.min(2)) {
            store.record_article_use(org, made[0].0, case.id).await?;
        }
        store.record_article_use(org, refunds, case.id).await?;
    }
    // Marks by the demo accounts; the subscription FAQ is outdated for its owner.
    let mut accounts = Vec::new();
    for email in ["agent@demo.example", "member@demo.example", "leader@demo.example", "owner@demo.example"] {
        if let Some((user, _)) = store.user_for_sign_in(org, email).await? {
            accounts.push(format!("user:{}", user.id));
        }
    }
    let helpful = MarkDraft { mark: Some("helpful".into()), note: None }.validate().map_err(anyhow::Error::new)?;
    let outdated = MarkDraft {
        mark: Some("outdated".into()),
        note: Some("The page now calls it \"Manage plan\", not \"My subscription\".".into()),
    }
    .validate()
    .map_err(anyhow::Error::new)?;
    for (n, account) in accounts.iter().enumerate() {
        store.mark_article(org, made[0].0, account, &helpful, now - Duration::days(3)).await?;
        if n < 3 {
            store.mark_article(org, refunds, account, &helpful, now - Duration::days(2)).await?;
        }
        if n < 2 {
            store.mark_article(org, made[3].0, account, &outdated, now - Duration::days(1)).await?;
        }
    }
    Ok(())
}
