//! F2. The 20-question diagnostic: rounds, answers by several people, scores over time.

use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::Id;
use rapport_store::diagnostic::Diagnostics;
use rapport_store::Result;

#[async_trait]
impl Diagnostics for Backend {
    async fn diagnostic_placeholder(&self, _org: Id) -> Result<()> {
        Ok(())
    }
}
