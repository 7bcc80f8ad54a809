//! A7. Perfect customer behaviours: rules over events, and the state that counts them at write time.

use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::Id;
use rapport_store::perfect_behaviours::PerfectBehaviours;
use rapport_store::Result;

#[async_trait]
impl PerfectBehaviours for Backend {
    async fn perfect_behaviours_placeholder(&self, _org: Id) -> Result<()> {
        Ok(())
    }
}
