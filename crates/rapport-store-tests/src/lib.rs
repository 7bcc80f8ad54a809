//! Stories every storage backend must pass. Each story is a `pub async fn`
//! over `&dyn Store`, so one text tests SQLite and PostgreSQL alike:
//! `tests/sqlite.rs` and `tests/postgres.rs` each call [`story_tests!`] with
//! a function that opens a fresh, empty store of their backend. A few stories
//! also read every table behind the store's back, through [`Dump`].

pub mod pg;
pub mod stories;

use rapport_store::Store;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Every row of every table of the store's database, each as one text
/// `(table, row)`: what a person with the database file would see.
pub type Dump = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Vec<(String, String)>> + Send>> + Send + Sync>;

/// A fresh, empty store for one test, and what to do after it.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub dump: Dump,
    /// Runs after the story, passed or failed (e.g. drops the database).
    pub cleanup: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
}

/// Runs `story` on the store, cleans up whether or not it panicked, then
/// passes its panic on.
pub async fn run<F, Fut>(t: TestStore, story: F)
where
    F: FnOnce(Arc<dyn Store>, Dump) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let outcome = tokio::spawn(story(t.store.clone(), t.dump.clone())).await;
    drop(t.store);
    if let Some(cleanup) = t.cleanup {
        cleanup.await;
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("story did not finish: {e}"),
        }
    }
}

/// Writes past the test harness's output capture, so that a skip shows in a
/// plain `cargo test`.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// One `#[tokio::test]` per story. `$open` is an `async fn() ->
/// Option<TestStore>`; `None` skips the test.
#[macro_export]
macro_rules! story_tests {
    ($open:path) => {
        $crate::story_tests!(@each $open;
            organizations,
            coverage,
            isolation,
            conflicts,
            interaction_history,
            positions,
            intent_versions,
            sessions,
            passwords,
            team_accounts,
            token_revocation,
            notification_centre,
            tokens,
            customers,
            segment_delete_cascade,
            failed_writes_leave_nothing,
            deletes,
            concurrent_writes,
            audit,
            audited_writes,
            org_settings,
            audit_filters,
            installation_secret,
            surveys,
            listening_posts,
            customers_in_bulk,
            customer_search,
            ingestion,
            feedback_lists,
            list_paging,
            timeline,
            notices,
            bulk_ingestion,
            rollups_equal_raw_recomputation,
            activity_samples,
            behaviour_samples,
            case_lifecycle,
            work_calendar,
            outbox_webhooks,
            outbox_retry_and_give_up,
            purge_sessions_and_outbox,
            text_analytics,
            text_themes,
            inbox_search_and_themes_at_any_size,
            improvement_loop,
            idea_reviews,
            change_announcements,
            touchpoint_announcement_notices,
            idea_from_root_cause,
            comms_plan,
            model_refits,
            model_scores,
            training_story,
            knowledge_story,
            recognition_story,
            staffing_story,
            distribution_story,
            conversations_story,
            case_queue_story,
            empathy_story,
            perfect_behaviours_story,
            council_story,
            diagnostic_story,
            gaps_story,
        );
        $crate::story_tests!(@shared $open;
            outbox_fan_out_once_and_lease,
        );
        $crate::story_tests!(@dump $open;
            erase,
            table_exports,
        );
    };
    (@each $open:path; $($story:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $story() {
                if let Some(t) = $open().await {
                    $crate::run(t, |s, _| async move { $crate::stories::$story(&*s).await }).await;
                }
            }
        )*
    };
    (@shared $open:path; $($story:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $story() {
                if let Some(t) = $open().await {
                    $crate::run(t, |s, _| async move { $crate::stories::$story(s).await }).await;
                }
            }
        )*
    };
    (@dump $open:path; $($story:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $story() {
                if let Some(t) = $open().await {
                    $crate::run(t, |s, dump| async move { $crate::stories::$story(&*s, dump).await }).await;
                }
            }
        )*
    };
}
