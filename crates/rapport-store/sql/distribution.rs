//! B1/B2. Survey distribution: invitation waves, reminders, unsubscribes,
//! bounces, triggered surveys and thank-you e-mails.

use crate::dialect::Backend;
use async_trait::async_trait;

#[async_trait]
impl rapport_store::Distribution for Backend {}
