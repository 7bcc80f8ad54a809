//! E2. The knowledge base for the front line: FAQs, product descriptions and
//! procedures in English and Spanish, linked to touchpoints and root causes.

use async_trait::async_trait;

#[async_trait]
pub trait Knowledge: Send + Sync {}
