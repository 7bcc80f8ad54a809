# Knowledge (E. People)
nav-knowledge = Knowledge base
