//! Integration tests of the JSON API, through HTTP, on SQLite and on
//! PostgreSQL. Each story is written once, as an async fn taking a running
//! app, and run on both backends by `on_both_backends!`.

mod bad_input;
mod helpers;
mod isolation;
mod openapi;
mod permissions;
mod story;

/// Two tests per story, `<name>::sqlite` and `<name>::postgres`.
macro_rules! on_both_backends {
    ($($name:ident => $story:path),* $(,)?) => {
        $(mod $name {
            #[tokio::test]
            async fn sqlite() {
                crate::helpers::run(crate::helpers::Backend::Sqlite, $story).await
            }

            #[tokio::test]
            async fn postgres() {
                crate::helpers::run(crate::helpers::Backend::Postgres, $story).await
            }
        })*
    };
}

on_both_backends! {
    program_story => crate::story::program_story,
    isolation_by_openapi => crate::isolation::other_org_cannot_touch_anything,
    bad_input_is_refused => crate::bad_input::bad_input_answers_4xx_and_writes_nothing,
    viewer_permissions => crate::permissions::viewer_reads_but_cannot_write,
}

#[tokio::test]
async fn openapi_document_is_complete() {
    helpers::run(helpers::Backend::Sqlite, openapi::document_is_complete).await
}
