//! F3. Gap analysis: stated importance per touchpoint and segment, and what the gaps read.

use crate::error::Result;
use async_trait::async_trait;
use rapport_core::Id;

#[async_trait]
pub trait GapAnalysis: Send + Sync {
    /// Placeholder until the part lands; replaced by the real methods.
    async fn gaps_placeholder(&self, org: Id) -> Result<()>;
}
