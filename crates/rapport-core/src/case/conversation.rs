//! D1/D2. Cases as conversations: replies to the customer by e-mail from
//! the case (templates per RESOLVED step in EN/ES), the customer's answers
//! coming back into the same case, and internal notes.
