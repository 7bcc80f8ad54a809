//! Finding customers by the words of their id, name and e-mail: the
//! search index is kept by every write that creates, changes or erases a
//! customer, and agrees with `rapport_core::customer_search::matches`.

use super::org;
use rapport_core::customer::CustomerUpsert;
use rapport_core::customer_search::{matches, terms, words};
use rapport_store::listening::NARROW_AT_MOST;
use rapport_store::{CustomerList, Store};
use serde_json::Map;

fn customer(id: &str, name: Option<&str>, email: Option<&str>) -> CustomerUpsert {
    CustomerUpsert {
        external_id: id.into(),
        name: name.map(str::to_string),
        email: email.map(str::to_string),
        attributes: Map::new(),
    }
}

async fn found(s: &dyn Store, org: rapport_core::Id, q: &str) -> Vec<String> {
    let list = CustomerList { text: Some(q.into()), ..Default::default() };
    s.page_customers(org, &list).await.unwrap().into_iter().map(|c| c.external_id).collect()
}

pub async fn customer_search(s: &dyn Store) {
    let o = org(s, "search").await.id;
    let other = org(s, "search-other").await.id;
    let people = [
        customer("cust-00421", Some("Ana María García"), Some("ana.garcia@example.com")),
        customer("cust-00422", Some("Anabel Ortiz"), Some("anabel@shop.example")),
        customer("cust-10042", Some("Bob Stone"), None),
        customer("VIP-7", None, Some("ceo@Example.com")),
    ];
    s.upsert_customers(o, &people).await.unwrap();
    s.upsert_customers(other, &[customer("cust-00423", Some("Ana Other"), None)]).await.unwrap();
    let cases: [(&str, &[&str]); 10] = [
        ("ana", &["cust-00421", "cust-00422"]),
        ("ANA gar", &["cust-00421"]),
        ("garcia", &["cust-00421"]),
        ("garcía", &["cust-00421"]),
        ("cust-0042", &["cust-00421", "cust-00422"]),
        ("example.com", &["VIP-7", "cust-00421"]),
        ("vip", &["VIP-7"]),
        ("cia", &[]),
        ("%", &[]),
        ("0042", &["cust-00421", "cust-00422"]),
    ];
    for (q, want) in cases {
        let mut want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        want.sort();
        assert_eq!(found(s, o, q).await, want, "{q:?}");
        // The index agrees with the core's rule.
        let by_rule: Vec<&str> = people
            .iter()
            .filter(|c| {
                let w = words(q);
                !w.is_empty() && matches(&terms(&c.external_id, c.name.as_deref(), c.email.as_deref()), &w)
            })
            .map(|c| c.external_id.as_str())
            .collect();
        assert_eq!(by_rule.len(), want.len(), "{q:?}: the core's rule");
    }

    crate::say("a customer changes name; another arrives with feedback only");
    s.upsert_customer(o, &customer("cust-00422", Some("Belén Ortiz"), None)).await.unwrap();
    assert_eq!(found(s, o, "ana").await, ["cust-00421"], "the old name is gone");
    assert_eq!(found(s, o, "belen").await, Vec::<String>::new(), "accents are kept");
    assert_eq!(found(s, o, "belén").await, ["cust-00422"]);
    let tp = super::add_touchpoint(s, o, "Web", super::add_stage(s, o, "Buy", None).await, None).await;
    let event = super::listening::event(Some("e1"), "purchase", "walk-in-9", "2026-03-01T10:00:00Z", Some(tp));
    s.ingest_events(o, &[event]).await.unwrap();
    assert_eq!(found(s, o, "walk").await, ["walk-in-9"], "a customer created by ingestion");

    crate::say("erasure takes the words away");
    s.erase_customer(o, "cust-00421", "user:1").await.unwrap();
    assert_eq!(found(s, o, "garcia").await, Vec::<String>::new());
    assert_eq!(found(s, other, "ana").await, ["cust-00423"], "each organization its own");

    crate::say("a rebuild indexes everyone again");
    s.rebuild_rollups(o).await.unwrap();
    assert_eq!(found(s, o, "cust").await, ["cust-00422", "cust-10042"]);
    assert_eq!(found(s, o, "ortiz").await, ["cust-00422"]);

    crate::say("a word more customers share than are looked up by id: the page walks the order");
    let crowd: Vec<CustomerUpsert> =
        (0..=NARROW_AT_MOST).map(|i| customer(&format!("bulk-{i:06}"), Some("Crowd Member"), None)).collect();
    s.upsert_customers(o, &crowd).await.unwrap();
    let page = |text: &str, after: Option<&str>| CustomerList {
        text: Some(text.into()),
        after: after.map(str::to_string),
        limit: 3,
        ..Default::default()
    };
    let ids = |page: Vec<rapport_core::customer::Customer>| page.into_iter().map(|c| c.external_id).collect::<Vec<_>>();
    assert_eq!(
        ids(s.page_customers(o, &page("crowd", None)).await.unwrap()),
        ["bulk-000000", "bulk-000001", "bulk-000002"]
    );
    assert_eq!(
        ids(s.page_customers(o, &page("crowd", Some("bulk-000002"))).await.unwrap()),
        ["bulk-000003", "bulk-000004", "bulk-000005"]
    );
    assert_eq!(
        ids(s.page_customers(o, &page("crowd 010000", None)).await.unwrap()),
        ["bulk-010000"],
        "a rare word with it"
    );
    assert_eq!(
        ids(s.page_customers(o, &page("00001", Some("bulk-000011"))).await.unwrap()),
        ["bulk-000012", "bulk-000013", "bulk-000014"],
        "few, by id, sorted and after the cursor"
    );
    assert_eq!(found(s, other, "crowd").await, Vec::<String>::new(), "each organization its own");
}
