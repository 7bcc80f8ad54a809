//! Integration tests of the JSON API, through HTTP, on SQLite and on
//! PostgreSQL. Each story is written once, as an async fn taking a running
//! app, and run on both backends by `on_both_backends!`.

mod admin_settings;
mod bad_input;
mod case_queue;
mod cases;
mod contract;
mod conversations;
mod council;
mod diagnostic;
mod distribution;
mod empathy;
mod exports;
mod gaps;
mod helpers;
mod improve;
mod isolation;
mod knowledge;
mod listening;
mod lists;
mod metrics;
mod models;
mod openapi;
mod operations;
mod perfect_behaviours;
mod permissions;
mod polish;
mod recognition;
mod replica;
mod security;
mod smtp;
mod staffing;
mod story;
mod survey_sharing;
mod survey_types;
mod team;
mod text;
mod training;
mod webhooks;

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
    bulk_ndjson => crate::listening::bulk_ndjson_is_idempotent_and_rejects_by_line,
    personal_links => crate::listening::personal_links_are_signed,
    lists_timeline_erasure => crate::listening::lists_timeline_and_erasure,
    survey_import => crate::listening::survey_import_reports_what_it_skips,
    survey_export_surveyjs => crate::listening::survey_exports_as_surveyjs,
    stream_one_server => crate::listening::stream_delivers_within_a_second,
    public_page => crate::listening::public_page_links_and_fatigue,
    public_rate_limit_by_peer => crate::listening::public_posts_are_limited_by_peer_address,
    metrics_series => crate::metrics::metrics_series_and_refusals,
    intent_monitor => crate::metrics::intent_status_changes_reach_the_stream,
    webhook_api => crate::webhooks::webhook_api,
    case_loop => crate::cases::detractor_case_is_worked_to_closure,
    improvement_loop => crate::improve::idea_to_announcement,
    lists_page_by_keyset => crate::lists::every_list_pages_by_keyset,
    required_bodies => crate::contract::required_bodies_and_typed_fields,
    documented_statuses => crate::contract::statuses_are_documented_and_bounds_said,
    text_analytics => crate::text::analyze_and_filter,
    text_themes => crate::text::themes_report_and_filter,
    models_refit => crate::models::refit_scores_drivers_and_roce,
    models_refused => crate::models::too_little_data_is_refused_and_stores_nothing,
    prometheus_metrics => crate::operations::metrics_parse_and_move,
    csv_exports => crate::exports::lists_export_whole_as_csv,
    invitations => crate::team::invite_accept_and_take_part,
    token_revocation => crate::team::revoked_token_is_refused_at_once,
    passwords_api => crate::team::passwords_through_the_api,
    org_settings => crate::admin_settings::settings_and_branding,
    audit_log => crate::admin_settings::audit_list_filters_pages_and_exports,
    question_types => crate::survey_types::every_type_round_trip,
    training_api => crate::training::training_api,
    knowledge_api => crate::knowledge::knowledge_api,
    recognition_api => crate::recognition::recognition_api,
    staffing_api => crate::staffing::staffing_api,
    conversations_api => crate::conversations::conversations_api,
    case_queue_api => crate::case_queue::case_queue_api,
    survey_sharing_api => crate::survey_sharing::survey_sharing_api,
    empathy_api => crate::empathy::empathy_api,
    perfect_behaviours_api => crate::perfect_behaviours::perfect_behaviours_api,
    council_api => crate::council::council_api,
    diagnostic_api => crate::diagnostic::diagnostic_api,
    gaps_api => crate::gaps::gaps_api,
    polish_api => crate::polish::polish_api,
}

#[tokio::test]
async fn request_ids() {
    helpers::run(helpers::Backend::Sqlite, operations::every_response_has_a_request_id).await
}

#[tokio::test]
async fn stream_across_two_servers_on_postgres() {
    helpers::run_two_on_postgres(listening::stream_across_servers).await
}

#[tokio::test]
async fn openapi_documents_paging() {
    helpers::run(helpers::Backend::Sqlite, lists::lists_are_documented).await
}

#[tokio::test]
async fn openapi_document_is_complete() {
    helpers::run(helpers::Backend::Sqlite, openapi::document_is_complete).await
}

#[tokio::test]
async fn webhook_delivery_survives_downtime_and_restart_sqlite() {
    webhooks::delivery_survives_downtime_and_restart(None).await
}

#[tokio::test]
async fn webhook_delivery_survives_downtime_and_restart_postgres() {
    webhooks::delivery_on_postgres().await
}

#[tokio::test]
async fn email_through_smtp() {
    webhooks::email_through_smtp().await
}

/// Survey distribution needs a real SMTP server and the server's state.
mod distribution_api {
    #[tokio::test]
    async fn sqlite() {
        crate::distribution::with_smtp(crate::helpers::Backend::Sqlite).await
    }

    #[tokio::test]
    async fn postgres() {
        crate::distribution::with_smtp(crate::helpers::Backend::Postgres).await
    }
}
