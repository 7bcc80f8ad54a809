//! A8. The CX council: cross-functional members, meetings with an agenda drafted from the program's state, minutes, decisions and action items.
