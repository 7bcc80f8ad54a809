//! Every combination of the inbox's value conditions gives what filtering
//! the whole list by hand gives: the same newest rows and the exact count.
//!
//! Which rows a store reads first differs by backend and by how many rows
//! a value has (SQLite looks up a value's small set by id; a large one, or
//! PostgreSQL, walks an index), so each combination is one more way the
//! narrowing could drop or keep a row it should not.

use rapport_core::feedback::Response;
use rapport_core::lang::Lang;
use rapport_core::text::Sentiment;
use rapport_core::Id;
use rapport_store::{FeedbackFilter, Store, TextFilter};

/// Rows of each page compared.
const PAGE: i64 = 3;

/// The values each condition takes in the combinations (`None`: not set).
pub(super) struct Values<'a> {
    pub touchpoints: &'a [Id],
    pub channels: &'a [&'a str],
    pub customers: &'a [&'a str],
}

/// `None` and each value.
fn or_none<T: Clone>(values: &[T]) -> Vec<Option<T>> {
    std::iter::once(None).chain(values.iter().cloned().map(Some)).collect()
}

fn admits(f: &FeedbackFilter, r: &Response) -> bool {
    let t = &f.text;
    f.touchpoint.is_none_or(|tp| r.touchpoint_id == tp)
        && f.customer.as_ref().is_none_or(|c| r.customer.as_ref() == Some(c))
        && t.channel.as_ref().is_none_or(|c| r.channel.as_ref() == Some(c))
        && t.language.is_none_or(|l| r.language == Some(l))
        && t.sentiment.is_none_or(|label| r.text.as_ref().map(|x| x.label) == Some(label))
}

/// Checks every combination of `values` with each language and sentiment
/// against the organization's whole list; returns how many were checked.
pub(super) async fn every_combination_as_filtered(s: &dyn Store, org: Id, values: &Values<'_>) -> usize {
    let everything = FeedbackFilter { limit: i64::MAX, count_at_most: None, ..Default::default() };
    let all = s.list_responses(org, &everything).await.unwrap().items;
    let mut checked = 0;
    for touchpoint in or_none(values.touchpoints) {
        for channel in or_none(values.channels) {
            for customer in or_none(values.customers) {
                for language in or_none(&Lang::ALL) {
                    for sentiment in or_none(&[Sentiment::Negative, Sentiment::Neutral]) {
                        let text =
                            TextFilter { channel: channel.map(Into::into), language, sentiment, ..Default::default() };
                        let f = FeedbackFilter {
                            touchpoint,
                            customer: customer.map(Into::into),
                            limit: PAGE,
                            count_at_most: None,
                            text,
                            ..Default::default()
                        };
                        let admitted: Vec<Id> = all.iter().filter(|r| admits(&f, r)).map(|r| r.id).collect();
                        let page = s.list_responses(org, &f).await.unwrap();
                        let got =
                            (page.items.iter().map(|r| r.id).collect::<Vec<Id>>(), page.total, page.total_is_estimate);
                        let want =
                            (admitted.iter().take(PAGE as usize).copied().collect(), admitted.len() as i64, false);
                        assert_eq!(got, want, "{f:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    checked
}
