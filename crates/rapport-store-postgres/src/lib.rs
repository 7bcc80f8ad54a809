//! Storage on postgres (being written).
