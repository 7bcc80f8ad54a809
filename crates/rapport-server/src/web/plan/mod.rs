//! Plan and own: the one-page plan (A9), empathy maps (A6), perfect
//! customer behaviours (A7) and the CX council (A8), one module each.

mod behaviours;
pub(crate) mod council;
mod empathy;
mod empathy_form;
mod one_page;

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(one_page::routes())
        .merge(empathy::routes())
        .merge(behaviours::routes())
        .merge(council::routes())
}
