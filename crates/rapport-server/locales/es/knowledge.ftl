# Knowledge (E. People)
nav-knowledge = Base de conocimiento
