//! A. Plan and own: the parts of the plan that describe customers and the
//! company's own side of the program (empathy maps A6, perfect customer
//! behaviours A7, the CX council A8). Experiences, journey, intent and
//! people live in their own modules at the crate's root.

pub mod council;
pub mod empathy;
pub mod perfect_behaviour;
