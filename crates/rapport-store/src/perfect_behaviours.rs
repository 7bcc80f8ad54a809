//! A7. Perfect customer behaviours: rules over events, and the state that counts them at write time.

use crate::error::Result;
use async_trait::async_trait;
use rapport_core::Id;

#[async_trait]
pub trait PerfectBehaviours: Send + Sync {
    /// Placeholder until the part lands; replaced by the real methods.
    async fn perfect_behaviours_placeholder(&self, org: Id) -> Result<()>;
}
