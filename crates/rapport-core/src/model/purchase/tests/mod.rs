//! Unit tests of the purchase models, one file per part; the checks against
//! lifetimes and CDNOW are in `tests/purchase_cdnow.rs`.

mod bgnbd;
mod clv;
mod fit;
mod hyp2f1;
mod special;
mod summary;
