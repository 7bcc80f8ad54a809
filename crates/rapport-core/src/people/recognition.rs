//! E3. Recognition tied to customer outcomes, and the flag on people who
//! "make their numbers" while hurting the experience.
