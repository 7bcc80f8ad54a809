//! Stories of empathy maps (A6), on both backends: a map citing evidence is
//! saved and read back with the cited words; saving again makes version 2
//! while version 1 stays as it was; a segment's map is separate from the
//! general one; another organization's response as evidence is refused
//! with nothing written; another organization reads nothing; suggestions
//! are the touchpoint's latest comments, newest first.

use super::listening::{at, response};
use super::{add_segment, add_stage, add_touchpoint, invalid, not_found, org};
use crate::say;
use chrono::Duration;
use rapport_core::plan::empathy::{Entry, Evidence, EvidenceKind, MapInput, Quadrant, SUGGESTIONS};
use rapport_core::text::{Sentiment, ThemeInput};
use rapport_core::Id;
use rapport_store::{Ingested, Store};

fn entry(q: Quadrant, text: &str, evidence: Option<(EvidenceKind, Id)>) -> Entry {
    Entry { quadrant: q, text: text.into(), evidence: evidence.map(|(kind, id)| Evidence { kind, id }), quote: None }
}

fn stored(out: &[Ingested]) -> Vec<Id> {
    out.iter().map(|o| o.id()).collect()
}

pub async fn empathy_story(s: &dyn Store) {
    let o = org(s, "empathy").await.id;
    let other = org(s, "empathy-other").await.id;
    let stage = add_stage(s, o, "Order", None).await;
    let counter = add_touchpoint(s, o, "Counter", stage, None).await;
    let app = add_touchpoint(s, o, "App", stage, None).await;
    let regulars = add_segment(s, o, "Regulars").await;
    let other_stage = add_stage(s, other, "Order", None).await;
    let foreign_tp = add_touchpoint(s, other, "Their counter", other_stage, None).await;
    let foreign_segment = add_segment(s, other, "Theirs").await;

    say("comments at the counter, and one in another organization");
    let t0 = at("2026-03-01T09:00:00Z");
    let comments = ["The queue was so slow, terrible", "Lovely barista, great coffee", "I ordered a latte"];
    let batch: Vec<_> = comments
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut r = response(Some(&format!("r{i}")), None, counter, None, t0 + Duration::minutes(i as i64));
            r.comment = Some((*c).into());
            r.language = None;
            r
        })
        .chain(std::iter::once(response(Some("silent"), None, counter, None, t0 + Duration::hours(1))))
        .collect();
    let ids = stored(&s.ingest_responses(o, &batch).await.unwrap());
    let (slow, lovely) = (ids[0], ids[1]);
    let mut theirs = response(Some("x"), None, foreign_tp, None, t0);
    theirs.comment = Some("Their secret complaint".into());
    let foreign_response = stored(&s.ingest_responses(other, &[theirs]).await.unwrap())[0];
    let queue = s
        .create_theme(o, &ThemeInput { name: "Queue".into(), keywords_en: vec!["queue".into()], keywords_es: vec![] })
        .await
        .unwrap()
        .id;

    say("no map yet: nothing, not an error");
    assert_eq!(s.empathy_map(o, counter, None, None).await.unwrap(), None);
    assert!(s.empathy_versions(o, counter, None).await.unwrap().is_empty());

    say("version 1 cites a response (quoted only), a theme, and has an entry without evidence");
    let v1 = MapInput {
        entries: vec![
            entry(Quadrant::Pains, "", Some((EvidenceKind::Response, slow))),
            entry(Quadrant::Thinks, "Is the queue worth it?", Some((EvidenceKind::Theme, queue))),
            entry(Quadrant::Does, "Orders on the app while walking in", None),
        ],
    };
    let saved = s.save_empathy_map(o, counter, None, &v1, "ana@example.com", t0).await.unwrap();
    assert_eq!((saved.version, saved.author.as_str(), saved.with_evidence()), (1, "ana@example.com", 2));
    assert_eq!(saved.entries[0].quote.as_deref(), Some(comments[0]), "the comment is read, not copied");
    assert_eq!(saved.entries[0].shown(), comments[0]);
    assert_eq!(saved.entries[1].quote.as_deref(), Some("Queue"));
    assert_eq!(saved.entries[2].quote, None);

    say("version 2 adds a gain; version 1 reads back unchanged");
    let mut v2 = v1.clone();
    v2.entries.push(entry(Quadrant::Gains, "Knows the barista by name", Some((EvidenceKind::Response, lovely))));
    let saved2 = s.save_empathy_map(o, counter, None, &v2, "luis@example.com", t0 + Duration::days(1)).await.unwrap();
    assert_eq!((saved2.version, saved2.entries.len()), (2, 4));
    let current = s.empathy_map(o, counter, None, None).await.unwrap().unwrap();
    assert_eq!(current, saved2);
    let old = s.empathy_map(o, counter, None, Some(1)).await.unwrap().unwrap();
    assert_eq!(old, saved, "version 1 as it was saved");
    assert_eq!(s.empathy_map(o, counter, None, Some(3)).await.unwrap(), None);
    let versions = s.empathy_versions(o, counter, None).await.unwrap();
    let got: Vec<(i64, &str, i64, i64)> =
        versions.iter().map(|v| (v.version, v.author.as_str(), v.entries, v.with_evidence)).collect();
    assert_eq!(got, vec![(2, "luis@example.com", 4, 3), (1, "ana@example.com", 3, 2)]);

    say("a segment's map is separate from the general one");
    let seg_map = MapInput { entries: vec![entry(Quadrant::Feels, "At home here", None)] };
    let s1 = s.save_empathy_map(o, counter, Some(regulars), &seg_map, "ana@example.com", t0).await.unwrap();
    assert_eq!((s1.version, s1.segment_id), (1, Some(regulars)));
    assert_eq!(s.empathy_map(o, counter, None, None).await.unwrap().unwrap().version, 2);
    assert_eq!(s.empathy_map(o, counter, Some(regulars), None).await.unwrap().unwrap().entries.len(), 1);
    assert_eq!(s.empathy_segments(o, counter).await.unwrap(), vec![regulars]);
    invalid(s.empathy_map(o, counter, Some(foreign_segment), None).await, "segment_id");
    invalid(s.save_empathy_map(o, counter, Some(foreign_segment), &seg_map, "x", t0).await, "segment_id");

    say("another organization's response (or an unknown case) as evidence is refused, nothing written");
    let mut bad = v2.clone();
    bad.entries.push(entry(Quadrant::Says, "Not ours", Some((EvidenceKind::Response, foreign_response))));
    bad.entries.push(entry(Quadrant::Says, "No such case", Some((EvidenceKind::Case, 999_999))));
    let r = s.save_empathy_map(o, counter, None, &bad, "x", t0).await;
    invalid(r, "entries[4].evidence");
    let r = s.save_empathy_map(o, counter, None, &bad, "x", t0).await;
    invalid(r, "entries[5].evidence");
    assert_eq!(s.empathy_versions(o, counter, None).await.unwrap().len(), 2, "no version 3");
    assert_eq!(s.empathy_map(o, counter, None, None).await.unwrap().unwrap(), saved2);

    say("another organization cannot read or write the map, nor cite into its own");
    not_found(s.empathy_map(other, counter, None, None).await);
    not_found(s.empathy_versions(other, counter, None).await);
    not_found(s.empathy_map(other, counter, None, Some(1)).await);
    not_found(s.save_empathy_map(other, counter, None, &seg_map, "x", t0).await);
    not_found(s.empathy_suggestions(other, counter).await);
    not_found(s.empathy_segments(other, counter).await);
    assert!(s.empathy_summaries(other, &[counter]).await.unwrap().is_empty());
    let cite_ours = MapInput { entries: vec![entry(Quadrant::Says, "x", Some((EvidenceKind::Theme, queue)))] };
    invalid(s.save_empathy_map(other, foreign_tp, None, &cite_ours, "x", t0).await, "entries[0].evidence");

    say("summaries: the general map's first pains and gains, for the touchpoints asked");
    let sums = s.empathy_summaries(o, &[counter, app]).await.unwrap();
    assert_eq!(sums.len(), 1, "the app has no map");
    assert_eq!(sums[0].pains, vec![comments[0].to_string()]);
    assert_eq!(sums[0].gains, vec!["Knows the barista by name".to_string()]);
    assert_eq!((sums[0].entries, sums[0].with_evidence, sums[0].version), (4, 3, 2));
    assert!(s.empathy_summaries(o, &[app]).await.unwrap().is_empty());

    say("suggestions: the latest comments, newest first, with the quadrant their tone suggests");
    let sug = s.empathy_suggestions(o, counter).await.unwrap();
    let got: Vec<&str> = sug.iter().map(|x| x.comment.as_str()).collect();
    assert_eq!(got, vec![comments[2], comments[1], comments[0]], "the response without a comment is not offered");
    assert_eq!(sug[2].sentiment, Some(Sentiment::Negative));
    assert_eq!(sug[2].quadrant, Quadrant::Pains);
    assert_eq!(sug[1].quadrant, Quadrant::Gains);
    let many: Vec<_> = (0..SUGGESTIONS + 5)
        .map(|i| {
            let mut r = response(Some(&format!("m{i}")), None, app, None, t0 + Duration::minutes(i));
            r.comment = Some(format!("comment {i}"));
            r
        })
        .collect();
    s.ingest_responses(o, &many).await.unwrap();
    let sug = s.empathy_suggestions(o, app).await.unwrap();
    assert_eq!(sug.len() as i64, SUGGESTIONS);
    assert_eq!(sug[0].comment, format!("comment {}", SUGGESTIONS + 4));
    assert!(s.empathy_suggestions(o, foreign_tp).await.is_err());

    say("deleting the touchpoint takes its maps with it");
    let maps_app = MapInput { entries: vec![entry(Quadrant::Says, "Quick", None)] };
    s.save_empathy_map(o, app, None, &maps_app, "x", t0).await.unwrap();
    s.delete_touchpoint(o, app, &super::by("touchpoint.delete")).await.unwrap();
    not_found(s.empathy_map(o, app, None, None).await);
}
