//! E5. Contact-centre staffing: the agents needed to answer promptly
//! (Erlang C).

use async_trait::async_trait;

#[async_trait]
pub trait Staffing: Send + Sync {}
