//! F3. Gap analysis: each touchpoint's performance against the intent and what customers say matters, ranked.
