//! Storage on sqlite (being written).
