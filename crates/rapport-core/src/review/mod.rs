//! F. Review: looking back at the program as a whole (the 20-question
//! diagnostic F2 and gap analysis F3).

pub mod diagnostic;
pub mod gap;
