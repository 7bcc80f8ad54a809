//! D1/D2. The case's conversation on its page: the customer's own words,
//! the thread, the reply form with its templates.
