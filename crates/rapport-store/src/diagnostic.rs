//! F2. The 20-question diagnostic: rounds, answers by several people, scores over time.

use crate::error::Result;
use async_trait::async_trait;
use rapport_core::Id;

#[async_trait]
pub trait Diagnostics: Send + Sync {
    /// Placeholder until the part lands; replaced by the real methods.
    async fn diagnostic_placeholder(&self, org: Id) -> Result<()>;
}
