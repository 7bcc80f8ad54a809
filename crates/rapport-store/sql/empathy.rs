//! A6. Empathy maps per touchpoint (says, thinks, does, feels; pains, gains), with evidence and versions.

use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::Id;
use rapport_store::empathy::EmpathyMaps;
use rapport_store::Result;

#[async_trait]
impl EmpathyMaps for Backend {
    async fn empathy_placeholder(&self, _org: Id) -> Result<()> {
        Ok(())
    }
}
