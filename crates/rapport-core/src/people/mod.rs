//! E. People: what the people who deliver the experience need (PRODUCT.md
//! E1–E5): training on the intent, a knowledge base for the front line,
//! recognition tied to customer outcomes, and contact-centre staffing.

pub mod knowledge;
pub mod recognition;
pub mod staffing;
pub mod training;
