use super::secret;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use axum_extra::extract::CookieJar;
use rapport_core::lang::Lang;
use rapport_core::org::Organization;
use rapport_core::role::{Permission, Role};
use rapport_store::{Audit, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    /// An API token, by id.
    Token(rapport_core::Id),
}

/// The authenticated caller: an account signed in through the web UI, or an
/// API token. Either way it acts for exactly one organization.
#[derive(Debug, Clone)]
pub struct Principal {
    pub org: Organization,
    pub role: Role,
    /// For logs and the audit trail: an e-mail, or `token:NAME`.
    pub actor: String,
    pub user: Option<User>,
    pub via: Via,
}

impl Principal {
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.role.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn can(&self, p: Permission) -> bool {
        self.role.can(p)
    }

    /// The audit line of a change this caller makes, e.g.
    /// `p.audit("segment.delete", format!("segment:{id}"))`, handed to the
    /// store's write, which writes it in the change's transaction.
    pub fn audit<'a>(&'a self, action: &'a str, subject: impl Into<String>) -> Audit<'a> {
        Audit::new(&self.actor, action, subject)
    }

    /// The audit line of what the write creates: `prefix` + its id, e.g.
    /// `p.audit_created("webhook.create", "webhook:")`.
    pub fn audit_created<'a>(&'a self, action: &'a str, prefix: &'a str) -> Audit<'a> {
        Audit::created(&self.actor, action, prefix)
    }

    /// The language the account chose, if any.
    pub fn language(&self) -> Option<Lang> {
        self.user.as_ref().and_then(|u| u.language)
    }

    /// Resolves the caller from the request, or `None` when nobody is signed in.
    pub async fn from_parts(parts: &Parts, state: &AppState) -> Result<Option<Principal>, AppError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or(AppError::Unauthorized)?;
            let Some((org, token)) = state.store.token_principal(&secret::digest(token)).await? else {
                return Err(AppError::Unauthorized);
            };
            touch(state, &token).await;
            return Ok(Some(Principal {
                org,
                role: token.role,
                actor: format!("token:{}", token.name),
                user: None,
                via: Via::Token(token.id),
            }));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(super::session::COOKIE) else { return Ok(None) };
        let found = state.store.session_user(&secret::digest(cookie.value()), chrono::Utc::now()).await?;
        Ok(found.map(|(org, user)| Principal {
            org,
            role: user.role,
            actor: user.email.clone(),
            user: Some(user),
            via: Via::Session,
        }))
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(p) = parts.extensions.get::<Principal>() {
            return Ok(p.clone());
        }
        let p = Principal::from_parts(parts, state).await?.ok_or(AppError::Unauthorized)?;
        parts.extensions.insert(p.clone());
        Ok(p)
    }
}

/// Records a token's use, at most once a minute (the store's condition
/// keeps a busy token from writing on every request; this check keeps a
/// recently used one from even asking). A failure is logged, not fatal:
/// the request is authorized either way.
async fn touch(state: &AppState, token: &rapport_store::ApiToken) {
    let now = chrono::Utc::now();
    let since = now - chrono::Duration::minutes(1);
    if token.last_used_at.is_some_and(|at| at >= since) {
        return;
    }
    if let Err(e) = state.store.touch_token(token.id, now, since).await {
        tracing::warn!(error = %e, "could not record the token's use");
    }
}
