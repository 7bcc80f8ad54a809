//! The improvement loop.
