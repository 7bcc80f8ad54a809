//! E3. Recognition tied to customer outcomes, and the flag on people who
//! "make their numbers" while hurting the experience.

use crate::dialect::Backend;
use async_trait::async_trait;

#[async_trait]
impl rapport_store::Recognition for Backend {}
