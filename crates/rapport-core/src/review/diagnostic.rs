//! F2. The 20-question diagnostic of seed 002: questions, answers, scores per area, spread and trend.
