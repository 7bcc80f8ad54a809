//! D1/D2. Cases as conversations: messages to and from the customer and
//! internal notes, in the case's thread.

use crate::dialect::Backend;
use async_trait::async_trait;

#[async_trait]
impl rapport_store::Conversations for Backend {}
