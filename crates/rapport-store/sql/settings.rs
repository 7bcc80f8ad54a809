//! Organization settings: name, default language, time zone and survey branding: the statements.

use crate::dialect::Backend;
use async_trait::async_trait;

#[async_trait]
impl rapport_store::OrgSettings for Backend {}
