//! Stories of knowledge (E. People), on both backends: a case shows an
//! article linked to its root cause (first); every edit is a version; the
//! search finds articles in Spanish and English with accents folded; marks
//! keep their counters; other organizations see nothing.

use super::{add_person, add_stage, conflict, invalid, not_found, org, touchpoint};
use chrono::{Duration, Utc};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::RootCauseInput;
use rapport_core::case::CaseDraft;
use rapport_core::customer::CustomerUpsert;
use rapport_core::people::knowledge::{self as kb, ArticleDraft, ArticleInput, ArticleKind, Mark, MarkDraft};
use rapport_core::Id;
use rapport_store::knowledge::{ArticleFilter, Author};
use rapport_store::Store;
use serde_json::{json, Map};

fn article(kind: &str, en: Option<(&str, &str)>, es: Option<(&str, &str)>, links: serde_json::Value) -> ArticleInput {
    let mut v = json!({"kind": kind});
    if let Some((t, b)) = en {
        v["title_en"] = json!(t);
        v["body_en"] = json!(b);
    }
    if let Some((t, b)) = es {
        v["title_es"] = json!(t);
        v["body_es"] = json!(b);
    }
    for (k, x) in links.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value::<ArticleDraft>(v).unwrap().validate().unwrap()
}

async fn ids(s: &dyn Store, org: Id, filter: ArticleFilter) -> Vec<Id> {
    s.page_articles(org, &filter, None, 50).await.unwrap().into_iter().map(|a| a.id).collect()
}

fn search(q: &str) -> ArticleFilter {
    ArticleFilter { q: Some(q.into()), ..Default::default() }
}

pub async fn knowledge_story(s: &dyn Store) {
    let o = org(s, "knowledge").await.id;
    let other = org(s, "knowledge-other").await.id;
    let agent = add_person(s, o, "Agent").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let delivery = s.create_touchpoint(o, &touchpoint("Delivery", stage, Some(agent))).await.unwrap().id;
    let cafe = s.create_touchpoint(o, &touchpoint("Café", stage, None)).await.unwrap().id;
    let late = s
        .create_root_cause(o, &RootCauseInput { name: "Late courier".into(), description: None, preventable: true })
        .await
        .unwrap()
        .id;
    let other_stage = add_stage(s, other, "Buy", None).await;
    let foreign_tp = s.create_touchpoint(other, &touchpoint("Theirs", other_stage, None)).await.unwrap().id;
    let me = Author { person_id: Some(agent), account: "agent@example.com".into() };
    let token = Author { person_id: None, account: "token:ci".into() };
    let t0 = Utc::now() - Duration::hours(2);

    // Articles: a procedure linked to the root cause, an FAQ linked to the
    // touchpoint, a product description only in Spanish.
    let courier = s
        .create_article(
            o,
            &article(
                "procedure",
                Some(("Late courier: what to do", "1. Apologise\n2. Offer a **refund** of the shipping")),
                Some(("Mensajero tarde: qué hacer", "1. Disculparse\n2. Ofrecer el reembolso del envío")),
                json!({"root_cause_ids": [late], "touchpoint_ids": [delivery]}),
            ),
            &me,
            t0,
        )
        .await
        .unwrap();
    assert_eq!((courier.version, courier.current_version, courier.author.as_str()), (1, 1, "Agent"));
    assert_eq!(courier.root_cause_ids, vec![late]);
    let refunds = s
        .create_article(
            o,
            &article(
                "faq",
                Some(("Refunds", "Refunds are paid within 5 days to the original card.")),
                None,
                json!({"touchpoint_ids": [delivery, cafe]}),
            ),
            &token,
            t0,
        )
        .await
        .unwrap();
    assert_eq!(refunds.author, "token:ci", "no person: the account");
    let beans = s
        .create_article(
            o,
            &article(
                "product",
                None,
                Some(("Café de Colombia", "Tueste medio, notas de caramelo. Devoluciones en 30 días.")),
                json!({"touchpoint_ids": [cafe]}),
            ),
            &me,
            t0,
        )
        .await
        .unwrap();

    // Links to another organization's rows are refused, naming the link.
    let bad = article("faq", Some(("x", "y")), None, json!({"touchpoint_ids": [delivery, foreign_tp]}));
    invalid(s.create_article(o, &bad, &me, t0).await, "touchpoint_ids[1]");
    let bad = article("faq", Some(("x", "y")), None, json!({"root_cause_ids": [999_999]}));
    invalid(s.create_article(o, &bad, &me, t0).await, "root_cause_ids[0]");

    // The acceptance point: a case shows an article linked to its root cause, first.
    let c = CustomerUpsert { external_id: "k-1".into(), email: None, name: None, attributes: Map::new() };
    s.upsert_customer(o, &c).await.unwrap();
    let draft: CaseDraft = serde_json::from_value(
        json!({"title": "Where is my refund?", "customer": "k-1", "touchpoint_id": delivery, "assignee_id": agent}),
    )
    .unwrap();
    let case = s.open_case(o, &draft.validate().unwrap(), "user:1", Utc::now()).await.unwrap();
    for st in Step::ALL {
        let v = match st {
            Step::Open => json!({"proposal": "p"}),
            Step::Verify => json!({"agreed": true}),
            Step::Eliminate => json!({"action": "a"}),
            Step::Document => json!({"root_cause_id": late, "root_cause_note": "n"}),
            _ => json!({}),
        };
        let step = serde_json::from_value::<StepDraft>(v).unwrap().validate(st).unwrap();
        s.record_step(o, case.id, &step, "user:1", Utc::now()).await.unwrap();
        if st == Step::Document {
            break;
        }
    }
    let case = s.get_case(o, case.id).await.unwrap();
    assert_eq!(case.root_cause_id, Some(late));
    let words = kb::keywords("The refund for my beans never came");
    let candidates =
        s.article_candidates(o, case.root_cause_id, case.touchpoint_id, &kb::keyword_stems(&words), 20).await.unwrap();
    let suggested = kb::suggest(&candidates, &words);
    let order: Vec<Id> = suggested.iter().map(|x| x.article_id).collect();
    assert_eq!(order, vec![courier.id, refunds.id], "root cause first, then the touchpoint's; beans match nothing");
    assert!(suggested[0].root_cause && suggested[0].touchpoint);
    assert_eq!(suggested[0].matched, vec!["refund"]);
    assert!(!suggested[1].root_cause && suggested[1].touchpoint);
    // Another organization's case finds nothing of ours.
    assert!(s.article_candidates(other, Some(late), Some(delivery), &[], 20).await.unwrap().is_empty());

    // Opening it from the case counts as a use; only with a case of the organization.
    s.record_article_use(o, courier.id, case.id).await.unwrap();
    s.record_article_use(o, courier.id, case.id).await.unwrap();
    not_found(s.record_article_use(other, courier.id, case.id).await);
    not_found(s.record_article_use(o, courier.id, 999_999).await);
    assert_eq!(s.get_article(o, courier.id, None).await.unwrap().uses, 2);

    // Search in both languages, accents folded, stems matched.
    assert_eq!(ids(s, o, search("reembolso")).await, vec![courier.id], "Spanish finds the Spanish text");
    let mut found = ids(s, o, search("refunds")).await;
    found.sort();
    assert_eq!(found, vec![courier.id, refunds.id]);
    assert_eq!(ids(s, o, search("refunds")).await[0], refunds.id, "a title match comes first");
    assert_eq!(ids(s, o, search("CAFE colombia")).await, vec![beans.id], "accents folded, case ignored");
    assert_eq!(ids(s, o, search("devolucion")).await, vec![beans.id]);
    assert!(ids(s, o, search("espresso")).await.is_empty());
    assert!(ids(s, other, search("refunds")).await.is_empty(), "isolation");
    // Filters.
    let kind = ArticleFilter { kind: Some(ArticleKind::Product), ..Default::default() };
    assert_eq!(ids(s, o, kind).await, vec![beans.id]);
    let at_cafe = ArticleFilter { touchpoint: Some(cafe), ..Default::default() };
    assert_eq!(ids(s, o, at_cafe).await, vec![beans.id, refunds.id], "newest first when nothing else differs");

    // Marks: one per account, changeable; counters kept.
    let helpful = MarkDraft { mark: Some("helpful".into()), note: None }.validate().unwrap();
    let outdated =
        MarkDraft { mark: Some("outdated".into()), note: Some("The fee changed".into()) }.validate().unwrap();
    s.mark_article(o, refunds.id, "user:1", &helpful, Utc::now()).await.unwrap();
    s.mark_article(o, refunds.id, "user:1", &helpful, Utc::now()).await.unwrap();
    let a = s.mark_article(o, refunds.id, "user:2", &helpful, Utc::now()).await.unwrap();
    assert_eq!((a.helpful, a.outdated), (2, 0), "twice by one account counts once");
    let a = s.mark_article(o, refunds.id, "user:2", &outdated, Utc::now()).await.unwrap();
    assert_eq!((a.helpful, a.outdated), (1, 1), "a changed mark moves between counters");
    let mine = s.article_mark(o, refunds.id, "user:2").await.unwrap().unwrap();
    assert_eq!((mine.mark, mine.note.as_deref(), mine.version), (Mark::Outdated, Some("The fee changed"), 1));
    assert!(s.article_mark(o, refunds.id, "user:9").await.unwrap().is_none());
    assert_eq!(s.outdated_notes(o, refunds.id).await.unwrap()[0].note, "The fee changed");
    not_found(s.mark_article(other, refunds.id, "user:1", &helpful, Utc::now()).await);
    // The most helpful comes first in the list.
    assert_eq!(ids(s, o, ArticleFilter::default()).await[0], refunds.id);

    // The owner's board: most used, and outdated.
    let board = s.knowledge_board(o, Some(delivery), 5).await.unwrap();
    assert_eq!(board.most_used.iter().map(|a| a.id).collect::<Vec<_>>(), vec![courier.id]);
    assert_eq!(board.outdated.iter().map(|a| a.id).collect::<Vec<_>>(), vec![refunds.id]);
    let board = s.knowledge_board(o, Some(cafe), 5).await.unwrap();
    assert!(board.most_used.is_empty());
    assert!(s.knowledge_board(other, None, 5).await.unwrap().outdated.is_empty());

    // A new version: history, old version readable, outdated cleared.
    let v2 = article(
        "faq",
        Some(("Refunds", "Refunds are paid within 3 days.")),
        Some(("Reembolsos", "Se pagan en 3 días.")),
        json!({"touchpoint_ids": [delivery]}),
    );
    let a = s.update_article(o, refunds.id, &v2, &me, Utc::now()).await.unwrap();
    assert_eq!((a.version, a.current_version, a.author.as_str()), (2, 2, "Agent"));
    assert_eq!((a.helpful, a.outdated), (1, 0), "a new version clears the outdated state");
    assert_eq!(a.touchpoint_ids, vec![delivery], "links replaced");
    assert!(s.outdated_notes(o, refunds.id).await.unwrap().is_empty());
    let history = s.article_versions(o, refunds.id).await.unwrap();
    assert_eq!(
        history.iter().map(|v| (v.version, v.author.as_str())).collect::<Vec<_>>(),
        vec![(2, "Agent"), (1, "token:ci")]
    );
    let old = s.get_article(o, refunds.id, Some(1)).await.unwrap();
    assert_eq!((old.version, old.current_version), (1, 2));
    assert!(old.en.unwrap().body.contains("5 days"));
    assert!(old.es.is_none());
    not_found(s.get_article(o, refunds.id, Some(3)).await);
    assert_eq!(ids(s, o, search("reembolsos")).await.len(), 2, "the new Spanish text is searched");
    // An outdated mark on the old version no longer counts; marking again does.
    let a = s.mark_article(o, refunds.id, "user:2", &outdated, Utc::now()).await.unwrap();
    assert_eq!(a.outdated, 1);

    // Archive: left out of lists and suggestions, not edited.
    let a = s.archive_article(o, beans.id, Utc::now()).await.unwrap();
    assert!(a.archived_at.is_some());
    assert!(ids(s, o, search("colombia")).await.is_empty());
    let archived = ArticleFilter { archived: true, ..Default::default() };
    assert_eq!(ids(s, o, archived).await, vec![beans.id]);
    conflict(s.update_article(o, beans.id, &v2, &me, Utc::now()).await, "id");

    // Isolation: another organization reads, edits, marks and archives nothing of ours.
    not_found(s.get_article(other, courier.id, None).await);
    not_found(s.article_versions(other, courier.id).await);
    not_found(s.update_article(other, courier.id, &v2, &me, Utc::now()).await);
    not_found(s.archive_article(other, courier.id, Utc::now()).await);
    assert!(ids(s, other, ArticleFilter::default()).await.is_empty());
    assert!(s.article_summaries(other, &[courier.id]).await.unwrap().is_empty());

    // Paging by the key: two pages of one cover the list once.
    let first = s.page_articles(o, &ArticleFilter::default(), None, 1).await.unwrap();
    let second = s.page_articles(o, &ArticleFilter::default(), Some(first[0].key()), 5).await.unwrap();
    assert_eq!(first.len() + second.len(), 2);
    assert_ne!(first[0].id, second[0].id);
}
