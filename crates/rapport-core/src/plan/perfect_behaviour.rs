//! A7. Perfect customer behaviours: measurable rules over events that the company wants customers to show.
