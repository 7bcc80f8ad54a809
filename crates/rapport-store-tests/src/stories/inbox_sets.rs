//! The inbox's word search and theme filter on both sides of
//! `NARROW_AT_MOST`: a set of at most that many responses is looked up by
//! id, a larger one is checked along the time order. Either way the list
//! is newest first, pages by its cursor, counts (up to `count_at_most`),
//! combines with the other conditions and keeps to the organization.

use super::inbox_combinations::{every_combination_as_filtered, Values};
use super::listening::response;
use super::{add_segment, add_stage, add_touchpoint, org};
use chrono::{Duration, TimeZone, Utc};
use rapport_core::customer::CustomerUpsert;
use rapport_core::lang::Lang;
use rapport_core::text::{Sentiment, ThemeInput};
use rapport_core::Id;
use rapport_store::listening::NARROW_AT_MOST;
use rapport_store::{FeedbackFilter, Ingested, NewResponse, Store, TextFilter, TimeKey};

/// Responses stored in one call.
const BATCH: usize = 1_000;

async fn store_all(s: &dyn Store, org: Id, items: &[NewResponse]) -> Vec<Id> {
    let mut ids = Vec::with_capacity(items.len());
    for chunk in items.chunks(BATCH) {
        for i in s.ingest_responses(org, chunk).await.unwrap() {
            match i {
                Ingested::Stored(id) => ids.push(id),
                other => panic!("{other:?}"),
            }
        }
    }
    ids
}

fn filter(text: TextFilter, limit: i64) -> FeedbackFilter {
    FeedbackFilter { limit, count_at_most: Some(NARROW_AT_MOST), text, ..Default::default() }
}

/// The page's ids, its total and whether the total is an estimate.
async fn page(s: &dyn Store, org: Id, f: &FeedbackFilter) -> (Vec<Id>, i64, bool) {
    let p = s.list_responses(org, f).await.unwrap();
    (p.items.iter().map(|r| r.id).collect(), p.total, p.total_is_estimate)
}

pub async fn inbox_search_and_themes_at_any_size(s: &dyn Store) {
    let a = org(s, "sets-a").await.id;
    let b = org(s, "sets-b").await.id;
    let stage = add_stage(s, a, "Deliver", None).await;
    let tp = add_touchpoint(s, a, "Courier", stage, None).await;
    let other_tp = add_touchpoint(s, a, "Shop", stage, None).await;
    let parcel = s
        .create_theme(a, &ThemeInput { name: "Parcel".into(), keywords_en: vec!["parcel".into()], keywords_es: vec![] })
        .await
        .unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();

    // More "parcel" comments than the set read by id; a minute apart, in
    // time order, so the newest is the last stored.
    let common = (NARROW_AT_MOST + 1) as usize;
    let items: Vec<NewResponse> = (0..common)
        .map(|i| NewResponse {
            comment: Some("The parcel arrived on time.".into()),
            language: Some(Lang::En),
            ..response(None, None, tp, Some(&format!("c-{}", i % 50)), start + Duration::minutes(i as i64))
        })
        .collect();
    let parcels = store_all(s, a, &items).await;
    // Three "courier" comments, after the parcels, one at another touchpoint.
    let later = start + Duration::days(30);
    let rare =
        [("The courier was rude.", tp, 0), ("Rude courier again.", other_tp, 1), ("A courier rang twice.", tp, 2)].map(
            |(text, at_tp, i)| NewResponse {
                comment: Some(text.into()),
                language: Some(Lang::En),
                ..response(None, None, at_tp, Some("c-rare"), later + Duration::hours(i))
            },
        );
    let couriers = store_all(s, a, &rare).await;
    // Another organization's comment has both words (the search index is
    // shared: its ids come back and are left out).
    let b_stage = add_stage(s, b, "Deliver", None).await;
    let b_tp = add_touchpoint(s, b, "Courier", b_stage, None).await;
    let theirs = NewResponse {
        comment: Some("courier parcel".into()),
        language: Some(Lang::En),
        ..response(None, None, b_tp, None, later)
    };
    let theirs = store_all(s, b, &[theirs]).await;

    let newest_parcels: Vec<Id> = parcels.iter().rev().take(3).copied().collect();
    let search = |q: &str| TextFilter { search: Some(q.into()), ..Default::default() };
    let theme = TextFilter { theme: Some(parcel.id), ..Default::default() };

    // A common word: checked along the time order, counted up to the cap.
    assert_eq!(page(s, a, &filter(search("parcel"), 3)).await, (newest_parcels.clone(), NARROW_AT_MOST, true));
    assert_eq!(page(s, a, &filter(theme.clone(), 3)).await, (newest_parcels.clone(), NARROW_AT_MOST, true));

    // A rare word: looked up by id, newest first, counted exactly, paged.
    let newest_couriers: Vec<Id> = couriers.iter().rev().copied().collect();
    assert_eq!(page(s, a, &filter(search("courier"), 10)).await, (newest_couriers.clone(), 3, false));
    let first = page(s, a, &filter(search("couriers"), 2)).await;
    assert_eq!(first, (newest_couriers[..2].to_vec(), 3, false), "any form of the word");
    let second_key = s.get_response(a, newest_couriers[1]).await.unwrap();
    let after = FeedbackFilter { after: Some(TimeKey::of_response(&second_key)), ..filter(search("courier"), 2) };
    assert_eq!(page(s, a, &after).await.0, newest_couriers[2..].to_vec(), "the next page");
    let at_shop = FeedbackFilter { touchpoint: Some(other_tp), ..filter(search("courier"), 10) };
    assert_eq!(page(s, a, &at_shop).await, (vec![couriers[1]], 1, false), "with another condition");
    assert_eq!(page(s, a, &filter(search("rude courier"), 10)).await.0, vec![couriers[1], couriers[0]]);
    assert_eq!(page(s, a, &filter(search("courier parcel"), 10)).await, (vec![], 0, false), "every word");
    assert_eq!(page(s, a, &filter(search("nowhere"), 10)).await, (vec![], 0, false));

    // A theme tagged by hand on a rare comment: the search's small set and
    // the theme's large one together.
    s.tag_response(a, couriers[2], parcel.id, true, "test").await.unwrap();
    let both = TextFilter { theme: Some(parcel.id), ..search("courier") };
    assert_eq!(page(s, a, &filter(both, 10)).await, (vec![couriers[2]], 1, false));

    // Common sets counted in full (each from its own index on SQLite):
    // every match once, hand tags that are not matches too, the other
    // organization's rows never.
    let all = |text: TextFilter| FeedbackFilter { count_at_most: None, ..filter(text, 1) };
    s.tag_response(a, parcels[0], parcel.id, true, "test").await.unwrap();
    s.tag_response(a, couriers[1], parcel.id, true, "test").await.unwrap();
    let common_n = common as i64;
    assert_eq!(page(s, a, &all(search("parcel"))).await, (vec![parcels[common - 1]], common_n, false));
    assert_eq!(page(s, a, &all(theme.clone())).await.1, common_n + 2, "a tagged match once, two tags");
    let searched_theme = TextFilter { theme: Some(parcel.id), ..search("parcel") };
    assert_eq!(page(s, a, &all(searched_theme)).await.1, common_n);
    let at_shop = FeedbackFilter { touchpoint: Some(other_tp), ..all(theme.clone()) };
    assert_eq!(page(s, a, &at_shop).await, (vec![couriers[1]], 1, false), "a hand tag with another condition");
    let cap = FeedbackFilter { count_at_most: Some(common_n + 1), ..filter(theme.clone(), 1) };
    let capped = page(s, a, &cap).await;
    assert_eq!((capped.1, capped.2), (common_n + 1, true), "past the cap: an estimate");
    // With another condition, a common set is read at most twice the cap
    // deep, newest first (22 rows for a cap of 10): of the theme's rows only
    // the shop's tagged comment is in the hour, so "at least" the one the
    // page shows. Read whole (a cap past half the set), it is exact. (A
    // time, not a value: a value's small set is looked up first on SQLite
    // and counted whole.)
    let within = |from, to, text: TextFilter, limit: i64| FeedbackFilter {
        from: Some(from),
        to: Some(to),
        count_at_most: Some(10),
        ..filter(text, limit)
    };
    let hour = |text: TextFilter| within(later + Duration::minutes(30), later + Duration::minutes(90), text, 1);
    assert_eq!(page(s, a, &hour(theme.clone())).await, (vec![couriers[1]], 1, true));
    let whole = FeedbackFilter { count_at_most: Some(common_n / 2 + 1), ..hour(theme.clone()) };
    assert_eq!(page(s, a, &whole).await, (vec![couriers[1]], 1, false));
    assert_eq!(page(s, a, &hour(search("parcel"))).await, (vec![], 0, false), "an empty page");
    // A condition the newest rows pass reaches the cap within the read.
    let ever = |text: TextFilter| within(start, later + Duration::days(1), text, 3);
    let themed = page(s, a, &ever(theme.clone())).await;
    assert_eq!((themed.1, themed.2), (10, true));
    let searched = page(s, a, &ever(search("parcel"))).await;
    assert_eq!((searched.1, searched.2), (10, true));
    // The read is the set's last stored matches: the five newest parcels are
    // the only ones of the last minutes, and all of them are counted (the
    // hand tags after them are past the read).
    let recent = FeedbackFilter {
        from: Some(start + Duration::minutes(common as i64 - 5)),
        count_at_most: Some(10),
        ..filter(theme.clone(), 3)
    };
    let counted = page(s, a, &recent).await;
    assert_eq!((counted.1, counted.2), (5, true), "at least the five read");
    // A small theme: the hand-tagged response alone.
    let few = s
        .create_theme(
            a,
            &ThemeInput { name: "Rings".into(), keywords_en: vec!["xylophone".into()], keywords_es: vec![] },
        )
        .await
        .unwrap();
    s.tag_response(a, couriers[0], few.id, true, "test").await.unwrap();
    let by_few = TextFilter { theme: Some(few.id), ..Default::default() };
    assert_eq!(page(s, a, &filter(by_few.clone(), 10)).await, (vec![couriers[0]], 1, false), "tagged by hand");
    let by_few_searched = TextFilter { theme: Some(few.id), ..search("rude") };
    assert_eq!(page(s, a, &filter(by_few_searched, 10)).await.0, vec![couriers[0]], "two small sets");

    // Another organization finds its own comment only.
    assert_eq!(page(s, b, &filter(search("courier"), 10)).await, (theirs.clone(), 1, false));
    assert_eq!(page(s, b, &filter(search("courier parcel"), 10)).await, (theirs.clone(), 1, false));
    assert_eq!(page(s, b, &filter(search("rude"), 10)).await, (vec![], 0, false));
    // A word common in another organization only: counted here, exactly (a
    // full page, so the count is not the page's own).
    assert_eq!(page(s, b, &filter(search("parcel"), 1)).await, (theirs, 1, false));

    // A small segment (the one customer of the rare comments) with common
    // sets, and an empty one: looked up by its members, whatever the other
    // conditions.
    let rare_plan = CustomerUpsert {
        external_id: "c-rare".into(),
        email: None,
        name: None,
        attributes: serde_json::from_value(serde_json::json!({"plan": "rare"})).unwrap(),
    };
    let rare_segment = add_segment(s, a, "Rare").await;
    let empty_segment = add_segment(s, a, "Nobody").await;
    s.upsert_customer(a, &rare_plan).await.unwrap();
    let in_segment = |segment: Id, text: TextFilter| TextFilter { segment: Some(segment), ..text };
    let rare_all = filter(in_segment(rare_segment, TextFilter::default()), 2);
    assert_eq!(page(s, a, &rare_all).await, (newest_couriers[..2].to_vec(), 3, false), "a full page, counted");
    let tagged = page(s, a, &filter(in_segment(rare_segment, theme.clone()), 10)).await;
    assert_eq!(tagged, (vec![couriers[2], couriers[1]], 2, false), "with a common theme");
    assert_eq!(page(s, a, &filter(in_segment(rare_segment, search("parcel")), 10)).await, (vec![], 0, false));
    assert_eq!(page(s, a, &filter(in_segment(rare_segment, search("rude")), 10)).await.1, 2, "with a rare word");
    assert_eq!(page(s, a, &filter(in_segment(empty_segment, theme.clone()), 1)).await, (vec![], 0, false));
    let parcels_of_nobody =
        FeedbackFilter { count_at_most: None, ..filter(in_segment(empty_segment, search("parcel")), 1) };
    assert_eq!(page(s, a, &parcels_of_nobody).await, (vec![], 0, false), "an empty segment, counted in full");
    assert_eq!(page(s, b, &filter(in_segment(rare_segment, TextFilter::default()), 10)).await, (vec![], 0, false));
    // A segment of more responses than the set read by id (every parcel's
    // customer): its condition is checked row by row.
    let parcel_people = add_segment(s, a, "Parcels").await;
    for i in 0..50 {
        let attributes = serde_json::from_value(serde_json::json!({"plan": "parcels"})).unwrap();
        let customer = CustomerUpsert { external_id: format!("c-{i}"), email: None, name: None, attributes };
        s.upsert_customer(a, &customer).await.unwrap();
    }
    let of_everyone = |text: TextFilter| filter(in_segment(parcel_people, text), 3);
    let newest = page(s, a, &of_everyone(TextFilter::default())).await;
    assert_eq!(newest, (newest_parcels.clone(), NARROW_AT_MOST, true), "newest first, counted up to the cap");
    assert_eq!(page(s, a, &of_everyone(search("courier"))).await, (vec![], 0, false), "with a rare word");
    let with_seven = FeedbackFilter { customer: Some("c-7".into()), ..of_everyone(TextFilter::default()) };
    assert_eq!(page(s, a, &with_seven).await.1, 200, "with a member");
    let with_rare = FeedbackFilter { customer: Some("c-rare".into()), ..of_everyone(TextFilter::default()) };
    assert_eq!(page(s, a, &with_rare).await, (vec![], 0, false), "with a customer outside it");

    // A value few responses have (a channel, a language, a touchpoint, a
    // customer) with a common theme or word: looked up by the value's index
    // first on SQLite, left to the planner on PostgreSQL, the same answers.
    let fax = NewResponse {
        comment: Some("Sent the parcel by fax.".into()),
        channel: Some("fax".into()),
        language: Some(Lang::En),
        ..response(None, None, other_tp, Some("c-fax"), later + Duration::hours(5))
    };
    let spanish = NewResponse {
        comment: Some("El paquete llegó tarde.".into()),
        language: Some(Lang::Es),
        ..response(None, None, other_tp, Some("c-fax"), later + Duration::hours(6))
    };
    let [fax, spanish] = store_all(s, a, &[fax, spanish]).await[..] else { panic!("two stored") };
    let by_fax = |text: TextFilter| TextFilter { channel: Some("fax".into()), ..text };
    assert_eq!(page(s, a, &filter(by_fax(TextFilter::default()), 10)).await, (vec![fax], 1, false), "a channel");
    assert_eq!(page(s, a, &filter(by_fax(theme.clone()), 1)).await, (vec![fax], 1, false), "with a common theme");
    let by_phone = TextFilter { channel: Some("phone".into()), ..theme.clone() };
    assert_eq!(page(s, a, &all(by_phone)).await, (vec![], 0, false), "a channel nobody used");
    let in_spanish = |text: TextFilter| TextFilter { language: Some(Lang::Es), ..text };
    assert_eq!(page(s, a, &filter(in_spanish(TextFilter::default()), 1)).await, (vec![spanish], 1, false));
    assert_eq!(page(s, a, &all(in_spanish(search("parcel")))).await, (vec![], 0, false), "with a common word");
    let quiet = add_touchpoint(s, a, "Kiosk", stage, None).await;
    let at_quiet = FeedbackFilter { touchpoint: Some(quiet), ..all(theme.clone()) };
    assert_eq!(page(s, a, &at_quiet).await, (vec![], 0, false), "a touchpoint without responses");
    let of = |customer: &str, text: TextFilter| FeedbackFilter { customer: Some(customer.into()), ..filter(text, 3) };
    let tagged = page(s, a, &of("c-rare", theme.clone())).await;
    assert_eq!(tagged, (vec![couriers[2], couriers[1]], 2, false), "a customer's tagged comments");
    // c-7 wrote every 50th parcel from the eighth: 200, the newest 9,957th.
    let sevens: Vec<Id> = [9957, 9907, 9857].map(|i| parcels[i]).to_vec();
    assert_eq!(page(s, a, &of("c-7", search("parcel"))).await, (sevens, 200, false), "a customer, counted");
    // Values whose sets are large (the courier touchpoint's 10,003, the
    // web's) are left to the walk.
    let on_web = TextFilter { channel: Some("web".into()), ..theme.clone() };
    let busy = FeedbackFilter { touchpoint: Some(tp), ..filter(on_web, 3) };
    assert_eq!(page(s, a, &busy).await.0, vec![couriers[2], parcels[common - 1], parcels[common - 2]]);
    // Another organization naming the same values finds nothing of these.
    assert_eq!(page(s, b, &filter(by_fax(TextFilter::default()), 10)).await, (vec![], 0, false));
    assert_eq!(page(s, b, &filter(in_spanish(TextFilter::default()), 10)).await, (vec![], 0, false));
    let their_view = FeedbackFilter { touchpoint: Some(other_tp), ..filter(TextFilter::default(), 10) };
    assert_eq!(page(s, b, &their_view).await, (vec![], 0, false));

    // A common theme with a sentiment its comments rarely have: the
    // theme's comments of that sentiment are a small set, looked up by id,
    // hand tags by their response's sentiment.
    let damaged = NewResponse {
        comment: Some("The parcel was damaged. Terrible.".into()),
        language: Some(Lang::En),
        ..response(None, None, tp, Some("c-damaged"), later + Duration::hours(7))
    };
    let [damaged] = store_all(s, a, &[damaged]).await[..] else { panic!("one stored") };
    let label = |id: Id| async move { s.get_response(a, id).await.unwrap().text.unwrap().label };
    assert_eq!(label(damaged).await, Sentiment::Negative);
    assert_ne!(label(parcels[0]).await, Sentiment::Negative, "the common comment, tagged by hand too");
    let mut complaints = vec![damaged];
    for tagged in [couriers[2], couriers[1]] {
        if label(tagged).await == Sentiment::Negative {
            complaints.push(tagged);
        }
    }
    assert!(complaints.contains(&couriers[1]), "the rude courier's hand tag: {complaints:?}");
    let negative = TextFilter { sentiment: Some(Sentiment::Negative), ..theme.clone() };
    let counted_all = FeedbackFilter { count_at_most: None, ..filter(negative, 10) };
    assert_eq!(page(s, a, &counted_all).await, (complaints.clone(), complaints.len() as i64, false));
    assert_eq!(page(s, b, &counted_all).await, (vec![], 0, false), "another organization's view");
    // Likewise at a touchpoint the theme is rarely mentioned at: the fax's
    // mention and the rude courier's hand tag; of them, the negative one.
    let at_shop = |f: &FeedbackFilter| FeedbackFilter { touchpoint: Some(other_tp), ..f.clone() };
    let theme_at_shop = at_shop(&FeedbackFilter { count_at_most: None, ..filter(theme.clone(), 10) });
    assert_eq!(page(s, a, &theme_at_shop).await, (vec![fax, couriers[1]], 2, false));
    assert_eq!(page(s, a, &at_shop(&counted_all)).await, (vec![couriers[1]], 1, false));
    let at_quiet = FeedbackFilter { touchpoint: Some(quiet), ..counted_all.clone() };
    assert_eq!(page(s, a, &at_quiet).await, (vec![], 0, false));
    // A common theme at a busy touchpoint, counted from its mentions' index:
    // every parcel, the damaged one and the courier's hand tag there, each
    // once (the first parcel is tagged too).
    let at_courier = FeedbackFilter { touchpoint: Some(tp), count_at_most: None, ..filter(theme.clone(), 3) };
    let newest_there = vec![damaged, couriers[2], parcels[common - 1]];
    assert_eq!(page(s, a, &at_courier).await, (newest_there.clone(), common_n + 2, false));
    let capped = FeedbackFilter { count_at_most: Some(common_n), ..at_courier.clone() };
    assert_eq!(page(s, a, &capped).await, (newest_there, common_n, true), "past the cap");
    let felt = label(parcels[1]).await;
    let parcels_felt =
        FeedbackFilter { text: TextFilter { sentiment: Some(felt), ..theme.clone() }, ..at_courier.clone() };
    let tag_felt = i64::from(label(couriers[2]).await == felt);
    assert_eq!(page(s, a, &parcels_felt).await.1, common_n + tag_felt, "of the parcels' sentiment");

    // And every combination of values, small and large, by hand.
    let values = Values {
        touchpoints: &[tp, other_tp, quiet],
        channels: &["web", "fax"],
        customers: &["c-rare", "c-7", "c-fax"],
    };
    assert_eq!(every_combination_as_filtered(s, a, &values).await, 4 * 3 * 4 * 3 * 3);
}
