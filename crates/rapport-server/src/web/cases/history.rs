//! D2. A case's history lines as people read them: translated, with names.
