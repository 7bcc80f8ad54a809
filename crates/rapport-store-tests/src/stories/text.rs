//! Text analytics in storage (C6): ingestion stores each comment's
//! sentiment, flags and (when none was given) detected language; the
//! response list filters by them and by experience, segment, language and
//! channel, never across organizations; erasure takes the analysis with
//! the comment; a rebuild with nothing changed writes nothing.

use super::listening::response;
use super::{add_segment, add_stage, add_touchpoint, org};
use chrono::{NaiveDate, TimeZone, Utc};
use rapport_core::customer::CustomerUpsert;
use rapport_core::text::{FlagKind, Sentiment, ThemeInput};
use rapport_core::Id;
use rapport_store::{FeedbackFilter, Ingested, NewResponse, Store, StoreError, TextFilter};

fn commented(tp: Id, customer: &str, day: u32, comment: &str, lang: Option<rapport_core::lang::Lang>) -> NewResponse {
    let at = Utc.with_ymd_and_hms(2026, 5, day, 9, 0, 0).unwrap();
    NewResponse { comment: Some(comment.into()), language: lang, ..response(None, None, tp, Some(customer), at) }
}

async fn ids(s: &dyn Store, org: Id, text: TextFilter) -> Vec<Id> {
    let f = FeedbackFilter { limit: 100, text, ..Default::default() };
    let mut ids: Vec<Id> = s.list_responses(org, &f).await.unwrap().items.iter().map(|r| r.id).collect();
    ids.sort();
    ids
}

pub async fn text_analytics(s: &dyn Store) {
    let a = org(s, "text-a").await.id;
    let b = org(s, "text-b").await.id;
    let stage = add_stage(s, a, "Buy", None).await;
    let shop = add_touchpoint(s, a, "Shop", stage, None).await;
    let support = add_touchpoint(s, a, "Support", stage, None).await;
    let vip = add_segment(s, a, "Gold").await;
    let gold = CustomerUpsert {
        external_id: "c-wow".into(),
        email: None,
        name: None,
        attributes: serde_json::from_value(serde_json::json!({"plan": "gold"})).unwrap(),
    };
    s.upsert_customer(a, &gold).await.unwrap();
    let exp = super::add_experience(s, a, "First purchase", None).await;
    s.add_interaction(a, exp, support, None).await.unwrap();

    let items = [
        commented(shop, "c-angry", 1, "This is a SCAM. Worst service ever, I am cancelling my account!!!", None),
        commented(support, "c-wow", 2, "Wow, Marta was amazing! Best support I have ever had, thank you!", None),
        commented(shop, "c-es", 3, "Muy buena atención, el pedido llegó perfecto. ¡Gracias!", None),
        commented(shop, "c-plain", 4, "The parcel arrived on Tuesday.", Some(rapport_core::lang::Lang::En)),
        NewResponse {
            channel: Some("phone".into()),
            language: None,
            ..response(None, None, shop, Some("c-none"), Utc::now())
        },
    ];
    let stored: Vec<Id> = s
        .ingest_responses(a, &items)
        .await
        .unwrap()
        .into_iter()
        .map(|i| match i {
            Ingested::Stored(id) => id,
            other => panic!("{other:?}"),
        })
        .collect();
    let [angry, wow, es, plain, none] = stored[..] else { panic!("five stored") };

    let read = s.get_response(a, angry).await.unwrap();
    let t = read.text.expect("an analysed comment");
    assert_eq!((t.label, t.anger, t.wow), (Sentiment::Negative, true, false), "{t:?}");
    assert!(t.score < -0.3, "{t:?}");
    assert_eq!(read.language, Some(rapport_core::lang::Lang::En), "detected");
    assert_eq!(s.get_response(a, es).await.unwrap().language, Some(rapport_core::lang::Lang::Es), "detected");
    assert!(s.get_response(a, none).await.unwrap().text.is_none(), "no comment, no analysis");

    let by = |f: TextFilter| ids(s, a, f);
    assert_eq!(by(TextFilter { flag: Some(FlagKind::Anger), ..Default::default() }).await, [angry]);
    assert_eq!(by(TextFilter { flag: Some(FlagKind::Wow), ..Default::default() }).await, [wow]);
    assert_eq!(by(TextFilter { sentiment: Some(Sentiment::Negative), ..Default::default() }).await, [angry]);
    assert_eq!(by(TextFilter { sentiment: Some(Sentiment::Positive), ..Default::default() }).await, [wow, es]);
    assert_eq!(by(TextFilter { sentiment: Some(Sentiment::Neutral), ..Default::default() }).await, [plain]);
    assert_eq!(by(TextFilter { has_comment: true, ..Default::default() }).await, [angry, wow, es, plain]);
    let spanish = Some(rapport_core::lang::Lang::Es);
    assert_eq!(by(TextFilter { language: spanish, ..Default::default() }).await, [es]);
    assert_eq!(by(TextFilter { channel: Some("phone".into()), ..Default::default() }).await, [none]);
    assert_eq!(
        by(TextFilter { experience: Some(exp), ..Default::default() }).await,
        [wow],
        "the experience's touchpoints"
    );
    assert_eq!(by(TextFilter { segment: Some(vip), ..Default::default() }).await, [wow], "customers in the segment");
    let both = TextFilter { sentiment: Some(Sentiment::Positive), experience: Some(exp), ..Default::default() };
    assert_eq!(by(both).await, [wow]);
    // Search finds a word in any of its forms, accents aside, every word.
    let search = |q: &str| TextFilter { search: Some(q.into()), ..Default::default() };
    assert_eq!(by(search("scam")).await, [angry]);
    assert_eq!(by(search("ATENCION")).await, [es], "accents and case aside");
    assert_eq!(by(search("pedidos")).await, [es], "a Spanish plural finds the singular");
    assert_eq!(by(search("cancelled accounts")).await, [angry], "English forms");
    assert_eq!(by(search("Marta amazing")).await, [wow]);
    assert!(by(search("amazing scam")).await.is_empty(), "every word must be there");
    assert_eq!(by(search("\" OR 1=1 --")).await, Vec::<Id>::new(), "operators are words");
    assert_eq!(by(search("...")).await.len(), 5, "a query without words filters nothing");
    let narrowed =
        TextFilter { search: Some("service".into()), sentiment: Some(Sentiment::Positive), ..Default::default() };
    assert!(by(narrowed).await.is_empty(), "search and sentiment together");
    assert!(ids(s, b, search("scam")).await.is_empty(), "never another organization's");
    // Filtered lists count what matches, not the organization's total.
    let f = FeedbackFilter {
        limit: 1,
        count_at_most: Some(100),
        text: TextFilter { has_comment: true, ..Default::default() },
        ..Default::default()
    };
    assert_eq!(s.list_responses(a, &f).await.unwrap().total, 4);

    // Another organization sees none of it, by any filter or id.
    assert!(ids(s, b, TextFilter { flag: Some(FlagKind::Anger), ..Default::default() }).await.is_empty());
    assert!(ids(s, b, TextFilter { experience: Some(exp), ..Default::default() }).await.is_empty());
    assert!(ids(s, b, TextFilter { segment: Some(vip), ..Default::default() }).await.is_empty());

    // A rebuild with nothing changed reads every response and writes
    // nothing; paging by id covers each response once.
    let (mut after, mut read, mut changed) = (0, 0, 0);
    loop {
        let step = s.rebuild_text(a, after, 3).await.unwrap();
        read += step.read;
        changed += step.changed;
        match step.last {
            Some(last) if step.read == 3 => after = last,
            _ => break,
        }
    }
    assert_eq!((read, changed), (5, 0));
    assert_eq!(s.count_written(a).await.unwrap(), 4);
    assert_eq!(s.rebuild_text(b, 0, 100).await.unwrap().read, 0, "nothing of another organization");

    // Erasing the angry customer takes the analysis with the comment.
    s.erase_customer(a, "c-angry", "test").await.unwrap();
    assert!(s.get_response(a, angry).await.unwrap().text.is_none());
    assert!(by(TextFilter { flag: Some(FlagKind::Anger), ..Default::default() }).await.is_empty());
    assert_eq!(s.count_written(a).await.unwrap(), 3);
    assert!(by(search("scam")).await.is_empty(), "the erased comment is out of the index");
}

fn theme(name: &str, en: &[&str], es: &[&str]) -> ThemeInput {
    ThemeInput {
        name: name.into(),
        keywords_en: en.iter().map(|s| s.to_string()).collect(),
        keywords_es: es.iter().map(|s| s.to_string()).collect(),
    }
}

/// Each theme's (mentions, sentiment sum) over May 2026, at every touchpoint.
async fn counted(s: &dyn Store, org: Id) -> Vec<(Id, i64, i64)> {
    let (from, to) = (NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
    let mut c: Vec<(Id, i64, i64)> = s
        .theme_counts(org, None, from, to)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.theme_id, c.n, (c.sentiment_sum * 1000.0).round() as i64))
        .collect();
    c.sort();
    c
}

/// Themes: defined per organization, found in comments as they arrive (in
/// either language, any word form), counted per day with their sentiment;
/// a theme added later reaches older comments through the rebuild, which
/// then changes nothing more; erasure and deletion take their mentions away.
pub async fn text_themes(s: &dyn Store) {
    let a = org(s, "themes-a").await.id;
    let b = org(s, "themes-b").await.id;
    let stage = add_stage(s, a, "Buy", None).await;
    let shop = add_touchpoint(s, a, "Shop", stage, None).await;
    let delivery = s.create_theme(a, &theme("Delivery", &["delivery", "late"], &["entrega", "retraso"])).await.unwrap();
    let taken = s.create_theme(a, &theme("Delivery", &["x"], &[])).await;
    assert!(matches!(taken, Err(StoreError::Conflict { .. })), "{taken:?}");
    s.create_theme(b, &theme("Delivery", &["delivery"], &[])).await.expect("names are per organization");

    let items = [
        commented(shop, "c-1", 1, "The deliveries are always late. Terrible.", None),
        commented(shop, "c-2", 2, "Las entregas llegaron perfectas, ¡gracias!", None),
        commented(shop, "c-3", 3, "Great prices and friendly staff.", None),
    ];
    let ids: Vec<Id> = s.ingest_responses(a, &items).await.unwrap().iter().map(|i| i.id()).collect();
    let by_theme = |t: Id| ids_by(s, a, TextFilter { theme: Some(t), ..Default::default() });
    assert_eq!(by_theme(delivery.id).await, [ids[0], ids[1]]);
    let (mut scores, mut labels) = (Vec::new(), Vec::new());
    for id in &ids {
        let text = s.get_response(a, *id).await.unwrap().text.unwrap();
        scores.push(text.score);
        labels.push(text.label);
    }
    assert_eq!(labels, [Sentiment::Negative, Sentiment::Positive, Sentiment::Positive]);
    // With a sentiment: the theme's comments of that sentiment (each
    // mention holds its comment's).
    let feeling = |t: Id, label: Sentiment| {
        ids_by(s, a, TextFilter { theme: Some(t), sentiment: Some(label), ..Default::default() })
    };
    assert_eq!(feeling(delivery.id, Sentiment::Negative).await, [ids[0]]);
    assert_eq!(feeling(delivery.id, Sentiment::Positive).await, [ids[1]]);
    assert!(feeling(delivery.id, Sentiment::Neutral).await.is_empty());
    let sum = ((scores[0] + scores[1]) * 1000.0).round() as i64;
    let milli: i64 = scores.iter().map(|x| rapport_core::text::trend::milli(*x)).sum();
    assert_eq!(sentiment_total(s, a).await, (3, milli), "every comment's sentiment is tallied by day");
    assert_eq!(counted(s, a).await, [(delivery.id, 2, sum)]);
    assert!(ids_by(s, b, TextFilter { theme: Some(delivery.id), ..Default::default() }).await.is_empty());

    // A theme added now reaches the older comments through the rebuild.
    let staff = s.create_theme(a, &theme("Staff", &["staff"], &["personal"])).await.unwrap();
    assert!(by_theme(staff.id).await.is_empty(), "not until the rebuild");
    let first = s.rebuild_text(a, 0, 100).await.unwrap();
    assert_eq!((first.read, first.changed), (3, 1));
    assert_eq!(by_theme(staff.id).await, [ids[2]]);
    assert_eq!(feeling(staff.id, Sentiment::Positive).await, [ids[2]], "retagged with its sentiment");
    let again = s.rebuild_text(a, 0, 100).await.unwrap();
    assert_eq!(again.changed, 0, "nothing changed, nothing written");
    let staff_sum = (scores[2] * 1000.0).round() as i64;
    assert_eq!(counted(s, a).await, [(delivery.id, 2, sum), (staff.id, 1, staff_sum)]);

    // Editing keywords changes matches at the next rebuild.
    s.update_theme(a, delivery.id, &theme("Delivery", &["delivery"], &[])).await.unwrap();
    assert_eq!(s.rebuild_text(a, 0, 100).await.unwrap().changed, 1, "the Spanish comment no longer matches");
    assert_eq!(by_theme(delivery.id).await, [ids[0]]);
    assert!(feeling(delivery.id, Sentiment::Positive).await.is_empty(), "its mention went with its sentiment");
    assert_eq!(counted(s, a).await[0], (delivery.id, 1, (scores[0] * 1000.0).round() as i64));

    assert_eq!(sentiment_total(s, a).await, (3, milli), "rebuilds with nothing changed leave the tallies");
    // A person tags a response by hand: the inbox finds it by that theme
    // too; the theme table counts only what comments mention.
    s.tag_response(a, ids[2], delivery.id, true, "ana").await.unwrap();
    s.tag_response(a, ids[2], delivery.id, true, "ana").await.expect("tagging twice is one tag");
    assert_eq!(by_theme(delivery.id).await, [ids[0], ids[2]]);
    assert_eq!(feeling(delivery.id, Sentiment::Positive).await, [ids[2]], "a hand tag, by its response's sentiment");
    assert_eq!(feeling(delivery.id, Sentiment::Negative).await, [ids[0]]);
    let themes_of = s.response_themes(a, ids[2]).await.unwrap();
    assert_eq!((themes_of.matched, themes_of.tagged), (vec![staff.id], vec![delivery.id]));
    assert_eq!(counted(s, a).await[0].1, 1, "a hand tag is not a mention");
    assert!(matches!(s.tag_response(b, ids[2], delivery.id, true, "x").await, Err(StoreError::NotFound)));
    assert!(matches!(s.response_themes(b, ids[2]).await, Err(StoreError::NotFound)));
    s.tag_response(a, ids[2], delivery.id, false, "ana").await.unwrap();
    assert_eq!(by_theme(delivery.id).await, [ids[0]]);
    s.tag_response(a, ids[0], staff.id, true, "ana").await.unwrap();
    // Erasure takes the comment's mentions, tags and sentiment away.
    s.erase_customer(a, "c-1", "test").await.unwrap();
    let left = milli - rapport_core::text::trend::milli(scores[0]);
    assert_eq!(sentiment_total(s, a).await, (2, left));
    assert!(by_theme(delivery.id).await.is_empty());
    assert_eq!(by_theme(staff.id).await, [ids[2]], "the erased comment's hand tag is gone too");
    assert_eq!(counted(s, a).await, [(staff.id, 1, staff_sum)]);

    // Another organization cannot touch them; deleting takes mentions along.
    assert!(matches!(s.update_theme(b, staff.id, &theme("Mine", &["x"], &[])).await, Err(StoreError::NotFound)));
    assert!(matches!(s.delete_theme(b, staff.id).await, Err(StoreError::NotFound)));
    s.delete_theme(a, staff.id).await.unwrap();
    assert!(counted(s, a).await.is_empty());
    assert_eq!(s.list_themes(a).await.unwrap().len(), 1);
}

/// The comments' sentiment tallied over May 2026: (n, Σ thousandths).
async fn sentiment_total(s: &dyn Store, org: Id) -> (i64, i64) {
    let (from, to) = (NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
    let days = s.sentiment_by_day(org, None, from, to).await.unwrap();
    days.iter().fold((0, 0), |(n, sum), (_, t)| (n + t.n, sum + t.sum))
}

async fn ids_by(s: &dyn Store, org: Id, text: TextFilter) -> Vec<Id> {
    ids(s, org, text).await
}
