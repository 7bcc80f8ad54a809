//! D1. Closed-loop figures: the share of detractors contacted within the
//! first-response promise, and the time to first response.
