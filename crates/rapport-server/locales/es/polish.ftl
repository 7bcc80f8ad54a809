# polish (es): pequeños arreglos que encontró una persona nueva (issue 20, punto 7)

## Cobertura de una organización sin experiencias ni puntos de contacto
polish-coverage-nothing = Aún no hay nada que cubrir
polish-coverage-nothing-hint = Aún no hay nada que cubrir: añada una experiencia o un punto de contacto y asígnele una persona responsable.

## Canales de escucha: cada código que se ofrece o se asigna a un punto de escucha, en palabras
channel-survey = Encuesta
channel-social = Redes sociales
channel-review_site = Sitios de reseñas
channel-app_review = Reseñas en tiendas de aplicaciones
channel-web_feedback = Opiniones en el sitio web
channel-in_person = En persona
channel-sms = SMS
channel-other = Otro

## Indicadores del panel: el cambio frente al periodo anterior de la misma duración, con su prueba (C9)
polish-change-significant = { $delta } ptos. frente a los { $days } días anteriores (significativo, { $p })
polish-change-not_significant = { $delta } ptos. frente a los { $days } días anteriores (no significativo, { $p })
polish-change-untested = Sin comparación con los { $days } días anteriores: pocos datos

## Panel: los filtros plegados tras un botón en el móvil
polish-dashboard-filters = Filtros
polish-dashboard-filters-set = con filtro
