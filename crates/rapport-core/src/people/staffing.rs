//! E5. Contact-centre staffing: the agents needed to answer promptly
//! (Erlang C).
