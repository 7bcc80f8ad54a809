//! Organization settings: name, default language, time zone and survey branding (P4).

use async_trait::async_trait;

#[async_trait]
pub trait OrgSettings: Send + Sync {}
