//! E5. Contact-centre staffing: the agents needed to answer promptly
//! (Erlang C).

use crate::dialect::Backend;
use async_trait::async_trait;

#[async_trait]
impl rapport_store::Staffing for Backend {}
