//! A8. The CX council: members, meetings, agenda items, minutes, decisions and action items.

use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::Id;
use rapport_store::council::Council;
use rapport_store::Result;

#[async_trait]
impl Council for Backend {
    async fn council_placeholder(&self, _org: Id) -> Result<()> {
        Ok(())
    }
}
