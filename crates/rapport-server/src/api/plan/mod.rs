//! Plan and own: the one-page plan (A9), empathy maps (A6), perfect
//! customer behaviours (A7) and the CX council (A8), one module each.

mod behaviours;
pub(crate) mod council;
mod empathy;
mod one_page;

pub use one_page::*;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(one_page::routes())
        .merge(empathy::routes())
        .merge(behaviours::routes())
        .merge(council::routes())
}
