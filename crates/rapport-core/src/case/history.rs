//! D2. A case's history lines: what happened, as keys and named arguments
//! the pages translate (no English stored for people to read).
