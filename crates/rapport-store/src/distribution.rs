//! B1/B2. Survey distribution: invitation waves, reminders, unsubscribes,
//! bounces, triggered surveys and thank-you e-mails.

use async_trait::async_trait;

#[async_trait]
pub trait Distribution: Send + Sync {}
