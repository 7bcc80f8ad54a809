//! E1. Training modules, quizzes and assignments; and the upload of the
//! images documents show (`POST /api/v1/media`, served at `/media/{id}`).
//!
//! Everyone reads modules, their own assignments, the progress report and
//! the gaps (`ReadProgram`: like an announcement's "who has not
//! acknowledged", completion is visible to the people who deliver the
//! experience), takes quizzes and acknowledges modules (`Contribute`);
//! writing modules, assigning them and uploading images need
//! `WriteLearning`.

use super::super::extract::{ApiJson, ApiPath};
use super::super::ideas::{acting_person, PersonBody};
use super::super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use rapport_core::media::{sniff_image, MEDIA_FIELD, MEDIA_MAX_BYTES};
use rapport_core::people::training::{
    Assignment, Gap, Module, ModuleDraft, ProgressRow, QuizResult, CHOICES_MAX, QUESTIONS_MAX,
};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::training::{NewMedia, ProgressAfter, ProgressBy};
use rapport_store::Store;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_modules, create_module))
        .routes(routes!(get_module, update_module, delete_module))
        .routes(routes!(attempt))
        .routes(routes!(acknowledge))
        .routes(routes!(assign))
        .routes(routes!(my_assignments))
        .routes(routes!(progress))
        .routes(routes!(gaps))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_media))
                // The image and the form around it, read no further (see `read_image`).
                .layer(DefaultBodyLimit::max(MEDIA_MAX_BYTES + 64 * 1024)),
        )
}

/// Modules by id, a page at a time.
#[utoipa::path(get, path = "/api/v1/training/modules", tag = "training", operation_id = "list_training_modules",
    params(PageParams), responses((status = 200, body = [Module]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_modules(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Module>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let after = paging.after::<Id>("training_modules")?;
    let items = s.store.list_modules(p.org.id, after, paging.fetch()).await?;
    Ok(paging.page("training_modules", items, |m| m.id))
}

/// Create a module (Markdown bodies in English and Spanish, an audience, a
/// due period, an optional quiz) and assign it to its audience at once.
#[utoipa::path(post, path = "/api/v1/training/modules", tag = "training", operation_id = "create_training_module",
    request_body = ModuleDraft,
    responses((status = 201, body = Module), (status = 403), (status = 422, description = "invalid fields, named")))]
async fn create_module(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<ModuleDraft>,
) -> Result<(StatusCode, Json<Module>), AppError> {
    p.require(Permission::WriteLearning)?;
    let input = d.validate()?;
    let m = s.store.create_module(p.org.id, &input, &p.actor, rapport_store::rows::now()).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[utoipa::path(get, path = "/api/v1/training/modules/{id}", tag = "training", operation_id = "get_training_module",
    params(("id" = i64, Path)), responses((status = 200, body = Module), (status = 404)))]
async fn get_module(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<Module>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_module(p.org.id, id).await?))
}

/// Change a module; whoever joined its audience is assigned it. The intent
/// module is generated: 409.
#[utoipa::path(put, path = "/api/v1/training/modules/{id}", tag = "training", operation_id = "update_training_module",
    params(("id" = i64, Path)), request_body = ModuleDraft,
    responses((status = 200, body = Module), (status = 404), (status = 409, description = "the intent module"), (status = 422)))]
async fn update_module(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(d): ApiJson<ModuleDraft>,
) -> Result<Json<Module>, AppError> {
    p.require(Permission::WriteLearning)?;
    // Another organization's module is not found, whatever the body.
    s.store.get_module(p.org.id, id).await?;
    let input = d.validate()?;
    Ok(Json(s.store.update_module(p.org.id, id, &input, rapport_store::rows::now()).await?))
}

/// Delete a module with its assignments (not the intent module: 409).
#[utoipa::path(delete, path = "/api/v1/training/modules/{id}", tag = "training", operation_id = "delete_training_module",
    params(("id" = i64, Path)), responses((status = 204), (status = 404), (status = 409, description = "the intent module")))]
async fn delete_module(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::WriteLearning)?;
    s.store.delete_module(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A quiz attempt: one list of chosen choice indexes (from 0) per question.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TrainingAttemptBody {
    /// Whose attempt: the caller's person (required for API tokens).
    pub person_id: Option<Id>,
    #[serde(default)]
    pub answers: Vec<Vec<usize>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingAttemptResult {
    pub result: QuizResult,
    pub assignment: Assignment,
}

/// The answers, bounded as the quiz is (a 422 naming `answers`).
pub fn check_answers(answers: &[Vec<usize>]) -> Result<(), AppError> {
    if answers.len() > QUESTIONS_MAX || answers.iter().any(|a| a.len() > CHOICES_MAX) {
        return Err(FieldErrors::single(
            "answers",
            "too_many",
            format!("at most {QUESTIONS_MAX} answers of at most {CHOICES_MAX} choices"),
        )
        .into());
    }
    Ok(())
}

/// Take the module's quiz. Scored at once: the answer says which questions
/// were wrong and whether it passed. Any number of tries: the assignment
/// keeps the attempts, the best and the last score, and is complete from
/// the first pass on.
#[utoipa::path(post, path = "/api/v1/training/modules/{id}/attempts", tag = "training",
    operation_id = "attempt_training_quiz", params(("id" = i64, Path)), request_body = TrainingAttemptBody,
    responses((status = 200, body = TrainingAttemptResult), (status = 404),
        (status = 422, description = "`answers` out of range, no quiz, or `person_id` not assigned")))]
async fn attempt(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<TrainingAttemptBody>,
) -> Result<Json<TrainingAttemptResult>, AppError> {
    p.require(Permission::Contribute)?;
    check_answers(&b.answers)?;
    s.store.get_module(p.org.id, id).await?;
    let person = acting_person(&p, b.person_id, "person_id")?;
    let (result, assignment) =
        s.store.attempt_quiz(p.org.id, id, person, &b.answers, rapport_store::rows::now()).await?;
    Ok(Json(TrainingAttemptResult { result, assignment }))
}

/// Complete a module without a quiz by confirming it was read (422 naming
/// `quiz` when it has one).
#[utoipa::path(post, path = "/api/v1/training/modules/{id}/acknowledge", tag = "training",
    operation_id = "acknowledge_training_module", params(("id" = i64, Path)), request_body = PersonBody,
    responses((status = 200, body = Assignment), (status = 404), (status = 422)))]
async fn acknowledge(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<PersonBody>,
) -> Result<Json<Assignment>, AppError> {
    p.require(Permission::Contribute)?;
    s.store.get_module(p.org.id, id).await?;
    let person = acting_person(&p, b.person_id, "person_id")?;
    Ok(Json(s.store.acknowledge_module(p.org.id, id, person, rapport_store::rows::now()).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TrainingAssignBody {
    /// One module, or all when left out.
    pub module_id: Option<Id>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingAssigned {
    /// Assignments added (people who joined an audience since the last run).
    pub added: u64,
}

/// Run the assignment now (it also runs when a module is saved and in the
/// server's daily pass): everyone in an audience without the module's
/// current revision gets it.
#[utoipa::path(post, path = "/api/v1/training/assign", tag = "training", operation_id = "assign_training",
    request_body = TrainingAssignBody, responses((status = 200, body = TrainingAssigned), (status = 404)))]
async fn assign(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(b): ApiJson<TrainingAssignBody>,
) -> Result<Json<TrainingAssigned>, AppError> {
    p.require(Permission::WriteLearning)?;
    let added = s.store.assign_training(p.org.id, b.module_id, rapport_store::rows::now()).await?;
    Ok(Json(TrainingAssigned { added }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingPersonQuery {
    /// Whose assignments (API tokens, which act for no person; with
    /// `WriteLearning`, anyone's). The caller's person otherwise.
    pub person_id: Option<Id>,
}

/// An assignment with its module's titles.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingAssignmentView {
    #[serde(flatten)]
    pub assignment: Assignment,
    pub title_en: String,
    pub title_es: String,
    pub has_quiz: bool,
}

/// A person's assignments (the modules' current revisions), soonest due
/// first: the caller's, or `person_id`'s. A caller linked to no person (an
/// API token) without `person_id` gets an empty list.
#[utoipa::path(get, path = "/api/v1/training/assignments", tag = "training", operation_id = "my_training_assignments",
    params(TrainingPersonQuery, PageParams),
    responses((status = 200, body = [TrainingAssignmentView]), (status = 403),
        (status = 404, description = "`person_id` names no person of the organization"), (status = 422)))]
async fn my_assignments(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<TrainingPersonQuery>, axum::extract::rejection::QueryRejection>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<TrainingAssignmentView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(super::super::extract::bad_query)?;
    let paging = paging?;
    let own = p.user.as_ref().and_then(|u| u.person_id);
    let person = match (q.person_id, own) {
        (Some(id), Some(me)) if id == me => me,
        (Some(id), _) => {
            if own.is_some() {
                p.require(Permission::WriteLearning)?;
            }
            s.store.get_person(p.org.id, id).await?;
            id
        }
        (None, Some(me)) => me,
        // A caller linked to no person (an API token) has no assignments.
        (None, None) => {
            return paging.slice("training_assignments", Vec::new(), |v: &TrainingAssignmentView| {
                (v.assignment.due_at, v.assignment.id)
            })
        }
    };
    let views = assignment_views(s.store.as_ref(), p.org.id, person).await?;
    paging.slice("training_assignments", views, |v| (v.assignment.due_at, v.assignment.id))
}

/// A person's assignments with their modules' titles.
pub async fn assignment_views(store: &dyn Store, org: Id, person: Id) -> Result<Vec<TrainingAssignmentView>, AppError> {
    let list = store.assignments_of(org, person, Utc::now()).await?;
    let modules = store.list_modules(org, None, 0).await?;
    Ok(list
        .into_iter()
        .filter_map(|a| {
            let m = modules.iter().find(|m| m.id == a.module_id)?;
            Some(TrainingAssignmentView {
                title_en: m.title_en.clone(),
                title_es: m.title_es.clone(),
                has_quiz: m.quiz.is_some(),
                assignment: a,
            })
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingProgressQuery {
    /// `person` (the default), `department` or `touchpoint`.
    #[param(pattern = "^(person|department|touchpoint)$")]
    pub by: Option<String>,
}

/// The `by` of a progress request (a 422 naming `by` otherwise).
pub fn progress_by(by: Option<&str>) -> Result<ProgressBy, AppError> {
    match by.unwrap_or("person") {
        "person" => Ok(ProgressBy::Person),
        "department" => Ok(ProgressBy::Department),
        "touchpoint" => Ok(ProgressBy::Touchpoint),
        _ => Err(FieldErrors::single("by", "invalid_choice", "must be person, department or touchpoint").into()),
    }
}

/// Completion and scores per person, department or touchpoint, over the
/// current assignments of active people: assigned, completed, overdue,
/// completion (completed ÷ assigned, %) and the mean best quiz score. Per
/// touchpoint: the modules for it (their audience names it) taken by the
/// people who deliver it. `?format=csv` for the whole report.
#[utoipa::path(get, path = "/api/v1/training/progress", tag = "training", operation_id = "training_progress",
    params(TrainingProgressQuery, PageParams),
    responses((status = 200, body = [ProgressRow]), (status = 403), (status = 422, description = "`by`, `limit` or `after` is invalid")))]
async fn progress(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<TrainingProgressQuery>, axum::extract::rejection::QueryRejection>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<ProgressRow>, AppError> {
    p.require(Permission::WriteLearning)?;
    let Query(q) = q.map_err(super::super::extract::bad_query)?;
    let by = progress_by(q.by.as_deref())?;
    let paging = paging?;
    let list = match by {
        ProgressBy::Person => "training_progress_person",
        ProgressBy::Department => "training_progress_department",
        ProgressBy::Touchpoint => "training_progress_touchpoint",
    };
    let after = match by {
        ProgressBy::Department => paging.after::<String>(list)?.map(ProgressAfter::Name),
        _ => paging.after::<Id>(list)?.map(ProgressAfter::Id),
    };
    let rows = s.store.training_progress(p.org.id, by, Utc::now(), after, paging.fetch()).await?;
    Ok(match by {
        ProgressBy::Department => paging.page(list, rows, |r| r.name.clone()),
        _ => paging.page(list, rows, |r| r.id.unwrap_or_default()),
    })
}

/// Who delivers a touchpoint without having completed its training: the
/// owner, department people and routed agents of each touchpoint named by a
/// module's audience whose assignment is missing, open or overdue.
#[utoipa::path(get, path = "/api/v1/training/gaps", tag = "training", operation_id = "training_gaps",
    params(PageParams), responses((status = 200, body = [Gap]), (status = 403), (status = 422)))]
async fn gaps(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Gap>, AppError> {
    p.require(Permission::WriteLearning)?;
    let paging = paging?;
    let rows = s.store.training_gaps(p.org.id, Utc::now()).await?;
    paging.slice("training_gaps", rows, |g| (g.touchpoint_id, g.person_id, g.module_id))
}

/// An uploaded image.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaUploaded {
    pub id: Id,
    /// Where it is served; write `![description](URL)` in a document.
    pub url: String,
    pub content_type: String,
}

/// The form of an upload.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct MediaUploadForm {
    /// The image: PNG, JPEG, GIF or WebP, at most 2 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// The `file` field of a form, read no further than one byte past the
/// bound; a body larger than the route reads at all counts as too large.
pub async fn read_image(form: Result<Multipart, MultipartRejection>) -> Result<Vec<u8>, AppError> {
    let mut form = form.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let too_large =
        || AppError::Invalid(FieldErrors::single(MEDIA_FIELD, "image_too_large", "the image must be at most 2 MiB"));
    let bad = |e: MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        _ => AppError::BadRequest(e.body_text()),
    };
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        if field.name() != Some(MEDIA_FIELD) {
            continue;
        }
        let mut out = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            out.extend_from_slice(&chunk);
            if out.len() > MEDIA_MAX_BYTES {
                return Err(too_large());
            }
        }
        return Ok(out);
    }
    Ok(Vec::new())
}

/// Checks (type from the bytes) and stores an image; what to link.
pub async fn save_image(store: &dyn Store, org: Id, actor: &str, bytes: &[u8]) -> Result<MediaUploaded, AppError> {
    let content_type = sniff_image(bytes)?;
    let version = hex::encode(&sha2::Sha256::digest(bytes)[..8]);
    let id = store.store_media(org, &NewMedia { content_type, bytes, version: &version }, actor).await?;
    Ok(MediaUploaded { id, url: format!("/media/{id}"), content_type: content_type.to_string() })
}

/// Upload an image for documents (training modules, knowledge articles):
/// `multipart/form-data` with the field `file`. Its type is told from its
/// bytes (PNG, JPEG, GIF or WebP); it is served to signed-in people of the
/// organization at `/media/{id}`.
#[utoipa::path(post, path = "/api/v1/media", tag = "training", operation_id = "upload_media",
    request_body(content = MediaUploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = MediaUploaded), (status = 400, description = "not a multipart form"), (status = 403),
        (status = 422, description = "`file`: missing, larger than 2 MiB, or not a PNG, JPEG, GIF or WebP image")))]
async fn upload_media(
    State(s): State<AppState>,
    p: Principal,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<MediaUploaded>), AppError> {
    p.require(Permission::WriteLearning)?;
    let bytes = read_image(form).await?;
    Ok((StatusCode::CREATED, Json(save_image(s.store.as_ref(), p.org.id, &p.actor, &bytes).await?)))
}
