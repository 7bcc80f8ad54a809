//! A8. The CX council: members, meetings, agenda items, minutes, decisions and action items.

use crate::error::Result;
use async_trait::async_trait;
use rapport_core::Id;

#[async_trait]
pub trait Council: Send + Sync {
    /// Placeholder until the part lands; replaced by the real methods.
    async fn council_placeholder(&self, org: Id) -> Result<()>;
}
