//! A6. Empathy maps per touchpoint (says, thinks, does, feels; pains, gains), with evidence and versions.

use crate::error::Result;
use async_trait::async_trait;
use rapport_core::Id;

#[async_trait]
pub trait EmpathyMaps: Send + Sync {
    /// Placeholder until the part lands; replaced by the real methods.
    async fn empathy_placeholder(&self, org: Id) -> Result<()>;
}
