//! REST v1 for the admin console: notices, system configs, users and the audit log. Every
//! route is for admins only (`AdminActor`), and each change writes its audit row, as the
//! console's forms do: both call the same parsers and services.

use super::extract::{Json, Path, Query};
use super::openapi::ErrorBody;
use app::admin::domain::{
    AuditFilter, AuditQuery, ConfigChange, ConfigForm, GradeChange, GradeForm, NewNotice,
    NoticeForm, RoleChange, RoleForm, StatusChange, UserFilter, UserQuery, UserStatusForm,
};
use app::admin::service::{audit, configs, notices, users};
use app::admin::{AuditPage, ConfigField, NoticeId, NoticeList, UserDetail, UserList};
use app::identity::UserId;
use app::platform::audit::AdminActor;
use app::platform::error::AppError;
use app::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const IDEM: &str = "Makes retries safe";

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
}

/// Every notice, drafts and scheduled ones too, pinned first, 20 a page.
#[utoipa::path(get, path = "/api/v1/admin/notices", tag = "admin", params(Page),
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = NoticeList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_notices(
    State(state): State<AppState>,
    AdminActor(_): AdminActor,
    Query(page): Query<Page>,
) -> Result<Json<NoticeList>, AppError> {
    let page = page.page.unwrap_or(1);
    if !(1..=notices::MAX_PAGE).contains(&page) {
        return Err(AppError::field(
            "page",
            app::platform::i18n::Msg::ErrBadForm,
        ));
    }
    Ok(Json(notices::all(&state.db, page).await?))
}

/// A notice body: what the console's form takes. `notice_type` is `general`, `maintenance`,
/// `event` or `urgent`; `target` is `all`, `customers` or `sellers`; `publish` is `draft`,
/// `now` or `later` (with `publish_at`, Seoul time `YYYY-MM-DDTHH:MM`); `pinned` is any
/// non-empty text to pin.
#[derive(Deserialize, ToSchema)]
pub struct NoticeBody {
    pub title: String,
    /// Markdown.
    pub content: String,
    pub notice_type: String,
    pub target: String,
    pub pinned: Option<String>,
    pub publish: String,
    pub publish_at: Option<String>,
}

impl From<NoticeBody> for NoticeForm {
    fn from(b: NoticeBody) -> Self {
        NoticeForm {
            title: b.title,
            content: b.content,
            notice_type: b.notice_type,
            target: b.target,
            pinned: b.pinned,
            publish: b.publish,
            publish_at: b.publish_at.unwrap_or_default(),
            ..NoticeForm::default()
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: NoticeId,
}

/// Write a notice.
#[utoipa::path(post, path = "/api/v1/admin/notices", tag = "admin", request_body = NoticeBody,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_notice(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Json(body): Json<NoticeBody>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let new = NewNotice::try_from(&NoticeForm::from(body)).map_err(AppError::Validation)?;
    let id = notices::create(&state.db, &actor, &new).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Rewrite a notice.
#[utoipa::path(put, path = "/api/v1/admin/notices/{id}", tag = "admin", request_body = NoticeBody,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_notice(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Path(id): Path<NoticeId>,
    Json(body): Json<NoticeBody>,
) -> Result<StatusCode, AppError> {
    let new = NewNotice::try_from(&NoticeForm::from(body)).map_err(AppError::Validation)?;
    notices::update(&state.db, &actor, id, &new).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PublishBody {
    /// True publishes a draft now; false takes a published notice back to a draft.
    pub publish: bool,
}

/// Publish a draft now, or take a notice down. Already in that state: 409.
#[utoipa::path(post, path = "/api/v1/admin/notices/{id}/publish", tag = "admin",
    request_body = PublishBody, security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish_notice(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Path(id): Path<NoticeId>,
    Json(body): Json<PublishBody>,
) -> Result<StatusCode, AppError> {
    notices::set_published(&state.db, &actor, id, body.publish).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete a notice (the audit log keeps what it said).
#[utoipa::path(delete, path = "/api/v1/admin/notices/{id}", tag = "admin",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn delete_notice(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Path(id): Path<NoticeId>,
) -> Result<StatusCode, AppError> {
    notices::delete(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every registered config key: its kind, value, default and last changes.
#[utoipa::path(get, path = "/api/v1/admin/configs", tag = "admin",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<ConfigField>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn list_configs(
    State(state): State<AppState>,
    AdminActor(_): AdminActor,
) -> Result<Json<Vec<ConfigField>>, AppError> {
    Ok(Json(configs::fields(&state.db, &state.configs).await?))
}

/// One key: its kind, value, default and last changes.
#[utoipa::path(get, path = "/api/v1/admin/configs/{key}", tag = "admin",
    security(("session_cookie" = []), ("api_token" = [])), params(("key" = String, Path)),
    responses((status = 200, body = ConfigField), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_config(
    State(state): State<AppState>,
    AdminActor(_): AdminActor,
    Path(key): Path<String>,
) -> Result<Json<ConfigField>, AppError> {
    configs::fields(&state.db, &state.configs)
        .await?
        .into_iter()
        .find(|f| f.key == key)
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize, ToSchema)]
pub struct ConfigBody {
    /// As the console's input takes it: `3500` for money, `12.5` for a percentage, `300`
    /// for a count or a duration, `true`/`false`, or text.
    pub value: String,
    /// Why, for the change history.
    pub reason: Option<String>,
}

/// Set one key. The value is checked by the key's kind (422 on `value`); it takes effect on
/// every instance at once.
#[utoipa::path(put, path = "/api/v1/admin/configs/{key}", tag = "admin", request_body = ConfigBody,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("key" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_config(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Path(key): Path<String>,
    Json(body): Json<ConfigBody>,
) -> Result<StatusCode, AppError> {
    let form = ConfigForm {
        key,
        value: Some(body.value),
        reason: body.reason.unwrap_or_default(),
    };
    let change = ConfigChange::try_from(&form)?;
    configs::save(&state.configs, &actor, &change).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserParams {
    /// Part of an email, a name or a phone number.
    pub q: Option<String>,
    /// `customer`, `seller` or `admin`.
    pub role: Option<String>,
    /// `active`, `suspended` or `deleted`.
    pub status: Option<String>,
    /// `bronze`, `silver`, `gold` or `vip`.
    pub grade: Option<String>,
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<i64>,
}

/// Accounts, newest first, 30 a page; phone numbers masked.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(UserParams),
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    AdminActor(_): AdminActor,
    Query(p): Query<UserParams>,
) -> Result<Json<UserList>, AppError> {
    if p.page.is_some_and(|n| !(1..=users::MAX_PAGE).contains(&n)) {
        return Err(AppError::field(
            "page",
            app::platform::i18n::Msg::ErrBadForm,
        ));
    }
    let query = UserQuery {
        q: p.q.unwrap_or_default(),
        role: p.role.unwrap_or_default(),
        status: p.status.unwrap_or_default(),
        grade: p.grade.unwrap_or_default(),
        page: p.page,
    };
    let filter = UserFilter::try_from(&query).map_err(AppError::Validation)?;
    Ok(Json(users::search(&state.db, &filter).await?))
}

/// One account with its purchases, sessions, masked addresses and history. Logged as a READ
/// of personal data.
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin",
    security(("session_cookie" = []), ("api_token" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = UserDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Path(id): Path<UserId>,
) -> Result<Json<UserDetail>, AppError> {
    Ok(Json(
        users::detail(&state.db, &state.redis, &actor, id).await?,
    ))
}

/// One change to an account. Exactly one of `status`, `role` and `grade` per request, so a
/// request is one change with its one audit row, all or nothing.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// `suspended` (signed out on every instance at once) or `active`.
    pub status: Option<String>,
    /// `customer` or `admin` (the seller role comes with the seller review).
    pub role: Option<String>,
    /// Must be true to make an admin.
    #[serde(default)]
    pub confirm: bool,
    /// `bronze`, `silver`, `gold`, `vip`, or `auto` to hand it back to the grades job.
    pub grade: Option<String>,
    /// Why; kept in the audit log (and shown to a suspended user).
    pub reason: String,
}

/// Suspend or reactivate, change the role, or set the grade. 409 for the last active admin,
/// for suspending oneself, or when the account is already so.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", request_body = UserPatch,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_user(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Path(id): Path<UserId>,
    Json(body): Json<UserPatch>,
) -> Result<StatusCode, AppError> {
    let reason = body.reason;
    match (body.status, body.role, body.grade) {
        (Some(status), None, None) => {
            let action = match status.as_str() {
                "suspended" => "suspend",
                "active" => "reactivate",
                _ => "",
            };
            let form = UserStatusForm {
                id,
                action: action.into(),
                reason,
            };
            let change = StatusChange::try_from(&form).map_err(|e| {
                AppError::Validation(
                    e.into_iter()
                        .map(|f| {
                            if f.field == "action" {
                                app::platform::error::FieldError::new("status", f.msg)
                            } else {
                                f
                            }
                        })
                        .collect(),
                )
            })?;
            users::set_status(&state.db, &state.redis, &actor, &change).await?;
        }
        (None, Some(role), None) => {
            let form = RoleForm {
                id,
                role,
                confirm: body.confirm.then(|| "on".to_owned()),
                reason,
            };
            let change = RoleChange::try_from(&form).map_err(AppError::Validation)?;
            users::set_role(&state.db, &state.redis, &actor, &change).await?;
        }
        (None, None, Some(grade)) => {
            let form = GradeForm { id, grade, reason };
            let change = GradeChange::try_from(&form).map_err(AppError::Validation)?;
            users::set_grade(&state.db, &state.configs, &actor, &change).await?;
        }
        _ => {
            return Err(AppError::field(
                "status",
                app::platform::i18n::Msg::ErrOneUserChange,
            ))
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// `user`, `seller`, `product`, `category`, `config`, `notice` or `breaker`.
    pub resource: Option<String>,
    /// The resource's id (a user id, a config key, ...).
    pub id: Option<String>,
    /// Part of the actor's email.
    pub actor: Option<String>,
    /// `CREATE`, `READ`, `UPDATE` or `DELETE`.
    pub action: Option<String>,
    /// `YYYY-MM-DD`, Seoul time, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The `next` cursor of the previous page.
    pub before: Option<String>,
}

/// The audit log, newest first, 50 a page.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditParams),
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = AuditPage), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn audit_log(
    State(state): State<AppState>,
    AdminActor(_): AdminActor,
    Query(p): Query<AuditParams>,
) -> Result<Json<AuditPage>, AppError> {
    let query = AuditQuery {
        resource: p.resource.unwrap_or_default(),
        id: p.id.unwrap_or_default(),
        actor: p.actor.unwrap_or_default(),
        action: p.action.unwrap_or_default(),
        from: p.from.unwrap_or_default(),
        to: p.to.unwrap_or_default(),
        before: p.before.unwrap_or_default(),
    };
    let filter = AuditFilter::try_from(&query).map_err(AppError::Validation)?;
    Ok(Json(audit::search(&state.db, &filter).await?))
}
