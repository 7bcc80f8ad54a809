# Rapport, catálogo en español. Mismas claves que en.ftl.
lang-name = Español
app-name = Rapport
