//! Whole tables of one organization read out in order: the statements.

use crate::dialect::Backend;
use async_trait::async_trait;

#[async_trait]
impl rapport_store::TableExport for Backend {}
