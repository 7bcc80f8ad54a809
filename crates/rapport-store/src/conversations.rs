//! D1/D2. Cases as conversations: messages to and from the customer and
//! internal notes, in the case's thread.

use async_trait::async_trait;

#[async_trait]
pub trait Conversations: Send + Sync {}
