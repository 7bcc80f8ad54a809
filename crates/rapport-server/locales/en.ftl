# Rapport, English catalogue. Keys are shared with es.ftl; a test keeps them in step.
lang-name = English
app-name = Rapport
