//! F3. Gap analysis: stated importance per touchpoint and segment, and what the gaps read.

use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::Id;
use rapport_store::gaps::GapAnalysis;
use rapport_store::Result;

#[async_trait]
impl GapAnalysis for Backend {
    async fn gaps_placeholder(&self, _org: Id) -> Result<()> {
        Ok(())
    }
}
