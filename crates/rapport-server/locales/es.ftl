# Rapport, catálogo en español. Mismas claves que en.ftl.
lang-name = Español
app-name = Rapport

## Estructura de la página
lang-name-en = English
lang-name-es = Español
lang-short-en = EN
lang-short-es = ES
language-label = Idioma
skip-to-content = Ir al contenido
nav-menu = Menú
nav-label = Principal
nav-home = Inicio
nav-experiences = Experiencias
nav-journey = Recorrido
nav-people = Personas
nav-segments = Segmentos
nav-coverage = Cobertura
nav-intent = Intención
sign-out = Cerrar sesión
footer-tagline = Rapport · planificar, asignar, escuchar, medir, actuar, mejorar
footer-signed-in-as = Sesión iniciada como { $email } ({ $role })

## Roles
role-admin = administración
role-leader = líder
role-owner = responsable
role-agent = agente
role-member = miembro
role-viewer = lectura

## Meses, para las fechas
month-1 = ene
month-2 = feb
month-3 = mar
month-4 = abr
month-5 = may
month-6 = jun
month-7 = jul
month-8 = ago
month-9 = sept
month-10 = oct
month-11 = nov
month-12 = dic

## Acciones y palabras comunes de los formularios
action-save = Guardar
action-cancel = Cancelar
action-edit = Editar
action-delete = Eliminar…
action-confirm-delete = Sí, eliminar
action-open = Abrir
form-optional = (opcional)
form-choose = Elija…
form-has-errors = Revise los campos marcados. No se ha guardado nada.
table-actions = Acciones
field-name = Nombre
field-email = Correo electrónico
field-department = Departamento
field-job-role = Puesto
field-job-role-hint = Por ejemplo, «Gerente de tienda». No es el rol de acceso.
field-joined-on = Fecha de incorporación
field-description = Descripción
field-position = Posición
field-goal-metric = Métrica
field-goal-target = Objetivo
field-goal-target-hint = NPS de −100 a 100, CES de 1 a 7 y el resto en %.
field-goal-period = Periodo

## Avisos tras un cambio
flash-saved = Guardado.
flash-created = Creado.
flash-deleted = Eliminado.
flash-handed-over = Traspaso hecho. Todo lo que esta persona lideraba o tenía a su cargo tiene ahora un responsable activo.
flash-deactivated = Baja registrada. Lo que lideraba o tenía a su cargo queda señalado hasta que se traspase.
flash-reactivated = De nuevo en activo.
flash-published = Se ha publicado una nueva versión de la declaración de intención.
flash-added = Interacción añadida.
flash-removed = Interacción retirada. Se conserva en el historial.

## Errores de campo, por código
error-required = Este campo es obligatorio.
error-too_long = El texto es demasiado largo.
error-invalid_email = Introduzca una dirección de correo, como ana@ejemplo.com.
error-unknown_id = Esa opción no existe (o ya no existe).
error-out_of_range = El valor está fuera del rango permitido.
error-duplicate = Ya figura en la lista.
error-taken = Ya está en uso.
error-too_many = Hay demasiadas filas.
error-invalid_type = El valor no tiene el formato esperado.
error-invalid_slug = Use de 2 a 40 letras minúsculas, cifras o guiones.
error-in_use = Todavía está en uso: primero traspase o mueva lo que depende de ello.
error-person_left = Esa persona ya no está en la empresa; elija a alguien activo.
error-same_person = Elija a otra persona.
error-not_a_number = Introduzca un número.
error-invalid_date = Introduzca una fecha válida.
error-invalid = Este valor no es válido.

## Páginas de error
error-page-home = Ir a la página de inicio
error-page-title-400 = No se ha podido atender la solicitud
error-page-text-400 = Algo en la solicitud no era lo esperado. Vuelva atrás e inténtelo de nuevo.
error-page-title-401 = Inicie sesión
error-page-text-401 = Necesita iniciar sesión para ver esta página.
error-page-title-403 = No tiene acceso a esta página
error-page-text-403 = Su rol no permite esta acción. Si la necesita, pídasela a una persona administradora.
error-page-title-404 = Página no encontrada
error-page-text-404 = Aquí no hay nada. Puede que se haya eliminado o que el enlace sea incorrecto.
error-page-title-409 = Entra en conflicto con los datos existentes
error-page-text-409 = Puede que otra persona haya cambiado lo mismo. Vuelva a cargar la página e inténtelo de nuevo.
error-page-title-422 = Hay datos que no son válidos
error-page-text-422 = Vuelva atrás, revise los campos e inténtelo de nuevo.
error-page-title-500 = Algo ha fallado
error-page-text-500 = Se ha producido un error inesperado en el servidor. Ha quedado registrado; inténtelo de nuevo en unos momentos.

## Inicio de sesión
sign-in-title = Iniciar sesión
sign-in-intro = Acceda al programa de experiencia de cliente de su organización.
sign-in-org = Organización
sign-in-org-hint = El nombre corto de su organización, tal como se lo facilitó la persona administradora.
sign-in-password = Contraseña
sign-in-submit = Iniciar sesión
sign-in-failed = Los datos no corresponden a ninguna cuenta. Revíselos e inténtelo de nuevo.
sign-in-demo-title = Servidor de demostración
sign-in-demo-text = Este servidor funciona con datos de demostración. Inicie sesión con:

## Inicio
home-title = Resumen
mission-title = Misión
mission-empty = Todavía no hay declaración de misión.
mission-edit = Editar la misión
mission-hint = Por qué existe la empresa, para sus clientes. Se muestra encima de la declaración de intención.
intent-current-title = Declaración de intención
intent-empty = Todavía no se ha publicado ninguna declaración de intención.
intent-write-first = Redactar la primera
intent-see-all = Todas las versiones
intent-version-line = Versión { $version }, publicada el { $date }
intent-version-short = Versión { $version }
criterion-not-measured = aún sin medir
coverage-goal = meta: 100 %
coverage-part = { $covered } de { $total } con responsable
coverage-gaps-link = { $count ->
    [one] Ver la carencia
   *[other] Ver las { $count } carencias
}
coverage-no-gaps = Todo tiene una persona responsable en activo.

## Personas
people-title = Personas
people-intro = Todas las personas que lideran una experiencia o son responsables de un punto de contacto. Cuando alguien se va, lo que tenía a su cargo queda señalado hasta que se traspasa.
people-new = Añadir persona
people-active = { $count ->
    [one] En activo (1)
   *[other] En activo ({ $count })
}
people-former = { $count ->
    [one] Antiguos miembros (1)
   *[other] Antiguos miembros ({ $count })
}
people-former-hint = Personas que ya no están. Todo lo que sigan teniendo a su cargo es una carencia de cobertura.
people-empty = Todavía no se ha añadido a nadie.
people-leads = Lidera
people-owns = Responsable de
people-left-on = Fecha de baja
people-hand-over = Traspasar
person-active = En activo
person-left-on = Baja el { $date }
person-left-short = de baja
person-details = Datos
person-accountable-for = A su cargo
person-leads-nothing = Ninguna experiencia.
person-owns-nothing = Ningún punto de contacto.
person-left-uncovered = Esta persona ya no está: todo lo que aparece abajo queda sin cobertura hasta que se traspase.
person-edit-title = Editar a { $name }
person-delete-title = Quitar del programa
person-delete-question = ¿Quitar a { $name } definitivamente? Su rastro en el registro de auditoría se conserva.
handover-title = Traspasar
handover-intro = Pase a una sola persona activa, en un único paso, todas las experiencias que lidera { $name } y todos los puntos de contacto de los que es responsable.
handover-to = Sucesor o sucesora
handover-choose = Elija una persona activa…
handover-submit = Traspasarlo todo
handover-nothing = No hay nada que traspasar.
deactivate-title = Registrar la baja
deactivate-intro = Lo que lidera o tiene a su cargo sigue asignado a esta persona y aparece como carencia hasta que se traspase.
deactivate-on = Fecha de baja
deactivate-submit = Registrar la baja
reactivate-title = Reactivar
reactivate-intro = La persona ha vuelto: pasa de nuevo a estar en activo, con lo que todavía tenga a su cargo.
reactivate-submit = Reactivar
owner-none = Sin responsable
owner-left = { $name } (de baja)
owner-left-hint = Esta persona ya no está: traspase esta responsabilidad.

## Segmentos
segments-title = Segmentos
segments-intro = Grupos de clientes definidos por reglas sobre sus atributos. Las experiencias y la importancia de los puntos de contacto se refieren a ellos.
segments-new = Nuevo segmento
segments-empty = Todavía no hay segmentos.
segment-rule = Regla
segment-rule-everyone = Todos los clientes
segment-rule-hint = Hasta cinco condiciones sobre atributos del cliente. Deje una fila vacía para omitirla.
segment-preview = Clientes que cumplen
segment-preview-count = { $matching } de { $total }
segment-preview-no-customers = Aún no hay clientes
segment-join-all = y
segment-join-any = o
segment-op-equals = es
segment-op-one_of = es uno de
segment-range-between = entre { $min } y { $max }
segment-range-min = como mínimo { $min }
segment-range-max = como máximo { $max }
segment-edit-title = Editar el segmento { $name }
segment-combine = Los clientes deben cumplir
segment-combine-all = todas las condiciones
segment-combine-any = alguna condición
segment-attribute = Atributo
segment-attribute-example = p. ej., plan
segment-op = Condición
segment-op-name-equals = es igual a
segment-op-name-one_of = es uno de
segment-op-name-range = está en el rango
segment-value = Valor
segment-value-hint = Para «es uno de», separe los valores con comas.
segment-min = Mínimo
segment-max = Máximo
segment-delete-title = Eliminar este segmento
segment-delete-intro = Las experiencias y las importancias de los puntos de contacto dejarán de referirse a él.
segment-delete-question = ¿Eliminar el segmento { $name }?

## Experiencias
experiences-title = Experiencias
experiences-intro = Cada plan de experiencia indica quién es el cliente, el objetivo como un comportamiento del cliente con una meta, quién lo lidera y sus interacciones clave.
experiences-new = Nueva experiencia
experiences-empty = Todavía no hay experiencias.
experience-goal = Objetivo
experience-goal-hint = Un comportamiento del cliente que se pueda medir, con una meta y un periodo.
experience-leader = Líder
experience-leader-none = Nadie todavía
experience-segments = Segmentos
experience-segments-none = No se ha elegido ningún segmento.
experience-segments-none-yet = Todavía no hay segmentos.
experience-customer = Quién es el cliente
experience-customer-empty = Aún sin describir.
experience-customer-hint = Con palabras que todo el equipo comparta.
experience-interactions = Interacciones clave
experience-interactions-intro = Los puntos de contacto del recorrido diseñado, en orden, cada uno con su responsable.
experience-interactions-empty = Todavía no hay interacciones clave.
experience-interaction-count = { $count ->
    [one] 1 interacción clave
   *[other] { $count } interacciones clave
}
experience-see-path = Ver en el mapa
experience-edit-title = Editar { $name }
experience-delete-title = Eliminar esta experiencia
experience-delete-intro = Se eliminan el plan, sus interacciones y su historial. Los puntos de contacto siguen en el mapa.
experience-delete-question = ¿Eliminar la experiencia { $name }?
goal-line = { $metric }: { $target } por { $period }
goal-not-measured = El avance respecto al objetivo aparecerá cuando empiece la medición.
interaction-add-title = Añadir una interacción clave
interaction-touchpoint = Punto de contacto
interaction-choose = Elija un punto de contacto…
interaction-position = Posición
interaction-position-hint = Vacío: al final del recorrido.
interaction-add = Añadir
interaction-remove = Retirar
interaction-remove-hint = Las interacciones retiradas se conservan en el historial.
interaction-none-left = Todos los puntos de contacto son ya interacciones clave.
history-title = Historial de interacciones
history-added = Añadida
history-removed = Retirada
history-current = vigente
history-deleted-touchpoint = (punto de contacto eliminado)
history-empty = Todavía no se ha añadido ninguna interacción.
plan-link = Plan en una página
plan-title = Plan: { $name }
plan-print = Imprimir
plan-kicker = { $org } · plan de experiencia
plan-printed-on = A fecha de { $date }

## Métricas y periodos
metric-nps = NPS
metric-csat = CSAT
metric-ces = CES
metric-rating = Valoración
metric-repeat_purchase_rate = Tasa de recompra
metric-referral_rate = Tasa de recomendación
metric-positive_feedback_rate = Tasa de opiniones positivas
metric-churn_rate = Tasa de abandono
period-month = mes
period-quarter = trimestre
period-year = año

## Mapa del recorrido
journey-title = Mapa del recorrido
journey-intro = Las etapas del recorrido del cliente y sus puntos de contacto, en el orden del recorrido diseñado, con canal, departamento y responsable.
journey-highlight = Resaltar el recorrido de
journey-highlight-none = Ninguna experiencia
journey-highlight-submit = Mostrar
journey-path-of = Recorrido diseñado de { $name }
journey-open-experience = Abrir la experiencia
journey-clear = Quitar el resaltado
journey-step = Paso { $step } del recorrido diseñado
journey-touchpoint-count = { $count ->
    [one] 1 punto de contacto
   *[other] { $count } puntos de contacto
}
journey-stage-empty = No hay puntos de contacto en esta etapa.
journey-empty = El mapa todavía no tiene etapas.
legend-left = de baja
legend-left-text = el responsable ya no está: hay que traspasarlo.
legend-none-text = todavía no tiene responsable.
stages-manage = Gestionar etapas
stages-title = Etapas del recorrido
stages-intro = Las etapas son las columnas del mapa, desde el primer contacto hasta la fidelización. Aquí puede renombrarlas o reordenarlas.
stages-empty = Todavía no hay etapas.
stages-add = Añadir una etapa
stages-add-first = Añadir la primera etapa
stages-add-submit = Añadir etapa
stages-name-example = p. ej., Descubrir
stages-position-hint = Sin posición, la nueva etapa se coloca al final; las siguientes se desplazan.
stage-delete-question = ¿Eliminar la etapa { $name }?

## Puntos de contacto
touchpoints-title = Puntos de contacto
touchpoints-new = Nuevo punto de contacto
touchpoints-add-here = Añadir un punto de contacto
touchpoint-edit-title = Editar { $name }
touchpoint-stage = Etapa
touchpoint-position = Posición en la etapa
touchpoint-position-hint = Vacío: al final de la etapa.
touchpoint-channel = Canal
touchpoint-channel-none = Sin canal
touchpoint-owner = Responsable
touchpoint-owner-none = Nadie todavía
touchpoint-importance = Importancia por segmento
touchpoint-importance-hint = Cuánto importa este punto de contacto a cada segmento, de 1 (poco) a 5 (crítico).
touchpoint-no-segments = Todavía no hay segmentos.
touchpoint-needs-stage = Un punto de contacto pertenece a una etapa del recorrido. Añada primero una etapa.
touchpoint-delete-title = Eliminar este punto de contacto
touchpoint-delete-intro = Sale del mapa y de las experiencias que lo usan (su historial lo conserva).
touchpoint-delete-question = ¿Eliminar el punto de contacto { $name }?
importance-unset = Sin definir
importance-1 = menor
importance-2 = baja
importance-3 = media
importance-4 = alta
importance-5 = crítica
channel-web = Sitio web
channel-mobile_app = Aplicación móvil
channel-email = Correo electrónico
channel-phone = Teléfono
channel-chat = Chat
channel-store = Tienda
channel-field = Visita presencial
channel-mail = Correo postal

## Cobertura
coverage-title = Cobertura
coverage-intro = Cada experiencia necesita un líder en activo y cada punto de contacto, un responsable en activo. La meta es el 100 %.
coverage-overall = Total
coverage-experiences = Experiencias con líder
coverage-touchpoints = Puntos de contacto con responsable
coverage-gaps-title = Carencias
gap-what = Qué
gap-kind = Tipo
gap-kind-experience = Experiencia
gap-kind-touchpoint = Punto de contacto
gap-reason = Motivo
gap-reason-left = { $name } ya no está
gap-reason-unassigned = Sin responsable asignado
gap-assign = Asignar

## Intención
intent-title = Misión e intención
intent-intro = La declaración de intención expresa lo que debe lograr la experiencia del cliente, mediante criterios formales que el programa supervisa. Cada cambio es una versión nueva y las anteriores se conservan.
intent-no-criteria = Esta versión no tiene criterios.
intent-by = por { $who }
intent-current-badge = vigente
intent-history = Historial de versiones
intent-history-empty = Todavía no hay versiones.
intent-publish-title = Publicar una nueva versión
intent-publish-intro = El formulario parte de la versión vigente. Al publicar, todas las versiones anteriores se conservan sin cambios.
intent-statement = Declaración
intent-statement-hint = Con palabras sencillas, la experiencia que deben tener los clientes.
intent-criteria = Criterios
intent-criteria-hint = Hasta cinco: una métrica, sobre qué se mide, como mínimo o como máximo un umbral, y un margen dentro del cual se considera en riesgo. Deje una fila vacía para omitirla.
intent-publish-submit = Publicar versión
criterion-metric = Métrica
criterion-scope = Se mide sobre
criterion-comparator = Debe ser
criterion-threshold = Umbral
criterion-margin-title = Margen de riesgo
criterion-margin = en riesgo a menos de { $margin }
criterion-target = Meta
criterion-status = Estado
criterion-bands-hint = Se cumple cuando el valor supera el umbral en más del margen; está en riesgo dentro del margen; en otro caso, no se cumple.
comparator-at_least = como mínimo
comparator-at_most = como máximo
scope-organization = Toda la organización
scope-experience = Experiencia: { $name }
scope-touchpoint = Punto de contacto: { $name }

## Public survey pages
survey-submit = Enviar
survey-privacy = Sus respuestas solo se usan para mejorar nuestro servicio.
survey-errors = { $count ->
    [one] Una respuesta necesita su atención.
   *[other] { $count } respuestas necesitan su atención.
}
survey-scale-nps-low = Nada probable
survey-scale-nps-high = Muy probable
survey-scale-csat-low = Muy insatisfecho
survey-scale-csat-high = Muy satisfecho
survey-scale-ces-low = Totalmente en desacuerdo
survey-scale-ces-high = Totalmente de acuerdo
survey-scale-rating-low = Malo
survey-scale-rating-high = Excelente
survey-msg-title-thanks = ¡Gracias!
survey-msg-text-thanks = Hemos recibido sus respuestas. Nos ayudan a mejorar.
survey-msg-title-already = Gracias, ya nos ha respondido
survey-msg-text-already = Nos dio su opinión hace poco, así que no volveremos a preguntarle por ahora.
survey-msg-title-closed = Esta encuesta está cerrada
survey-msg-text-closed = Ya no admite respuestas. Gracias por su interés.
survey-msg-title-link-invalid = Este enlace no es válido
survey-msg-text-link-invalid = Parece que el enlace se modificó o quedó incompleto. Ábralo de nuevo desde el mensaje que recibió.
survey-msg-title-link-expired = Este enlace ha caducado
survey-msg-text-link-expired = El enlace era válido solo durante un tiempo. Gracias por su interés.
survey-msg-title-rate-limited = Demasiados intentos
survey-msg-text-rate-limited = Espere un minuto y vuelva a enviar sus respuestas.

## Customers
nav-surveys = Encuestas
nav-listening = Escucha
nav-customers = Clientes
flash-erased = Se borraron los datos personales del cliente. Sus puntuaciones se conservan de forma anónima.
customers-title = Clientes
customers-intro = Busque un cliente para ver todo lo que le ha dicho y hecho, en todos los puntos de contacto.
customers-search-label = Id externo, nombre o correo
customers-search-placeholder = p. ej. cust-42 o ana@example.com
customers-search = Buscar
customers-external-id = Id externo
customers-none = Ningún cliente coincide.
customer-details = Datos
customer-since = Conocido desde
customer-segments = Segmentos que cumple
customer-no-segments = Este cliente no cumple ningún segmento.
customer-timeline = Cronología
customer-timeline-empty = Todavía no hay respuestas ni eventos.
timeline-kind-response = Respuesta
timeline-kind-event = Evento
timeline-amount = Importe
customer-erase-title = Borrar datos personales
customer-erase-hint = Elimina su nombre, correo, atributos y respuestas de texto libre en todas partes. Las puntuaciones y los recuentos se conservan sin la persona.
customer-erase = Borrar datos personales…
customer-erase-question = ¿Borrar todos los datos personales de { $id }? No se puede deshacer.
customer-erase-confirm = Sí, borrar definitivamente

## Listening posts
listening-title = Puestos de escucha
listening-intro = Dónde escucha a los clientes, quién gobierna la respuesta y en cuánto tiempo se compromete a responder.
listening-new = Nuevo puesto de escucha
listening-edit = Editar puesto de escucha
listening-channel = Canal
listening-touchpoint = Punto de contacto
listening-priority = Prioridad
listening-priority-field = Prioridad (1 = deseable, 5 = crítica)
listening-governed-by = Gobernado por
listening-response-hours = Tiempo de respuesta
listening-response-hours-field = Tiempo de respuesta comprometido (horas laborables)
listening-hours = { $count ->
    [one] 1 hora
   *[other] { $count } horas
}
listening-notes = Notas
listening-actions = Acciones
listening-delete-question = ¿Eliminar este puesto de escucha?
listening-empty = Todavía no hay puestos de escucha.
listening-unheard = Puntos de contacto sin escucha
listening-unheard-hint = Ningún puesto de escucha cubre estos puntos de contacto: ahí los clientes no son escuchados.
listening-unheard-none = Todos los puntos de contacto tienen un puesto de escucha.

## Survey builder
surveys-title = Encuestas
surveys-intro = Pregunte a los clientes en cada punto de contacto, en inglés y en español. Publique una encuesta para abrir su enlace público.
surveys-new = Nueva encuesta
surveys-import = Importar una encuesta
surveys-empty = Todavía no hay encuestas.
survey-edit = Editar encuesta
survey-title-field = Título
survey-status = Estado
survey-status-draft = Borrador
survey-status-published = Publicada
survey-status-closed = Cerrada
survey-public-url = Enlace público
survey-responses = Respuestas
survey-publish = Publicar
survey-close = Cerrar
survey-delete-question = ¿Eliminar esta encuesta? Sus respuestas se conservan.
survey-link-customer = Id externo del cliente
survey-link-days = Válido durante (días)
survey-link-create = Crear enlace personal
survey-link-result = Enlace personal
survey-title-en = Título (inglés)
survey-title-es = Título (español)
survey-intro-en = Introducción (inglés)
survey-intro-es = Introducción (español)
survey-fatigue = No volver a preguntar al mismo cliente durante (días)
survey-fatigue-hint = 0 pregunta siempre.
survey-questions = Preguntas
survey-questions-hint = Las filas en blanco se ignoran. Una pregunta con condición solo se muestra cuando una respuesta anterior la cumple.
survey-question-n = Pregunta { $n }
survey-q-key = Clave (a-z, 0-9, _)
survey-q-type = Tipo
survey-q-text-en = Pregunta (inglés)
survey-q-text-es = Pregunta (español)
survey-q-choices = Opciones
survey-q-choices-hint = Una por línea: clave=Etiqueta en inglés|Etiqueta en español
survey-q-scale-max = Máximo de la escala (valoración)
survey-q-required = Respuesta obligatoria
survey-q-show-if = Mostrar solo si la pregunta
survey-q-show-if-hint = Clave de una pregunta anterior; en blanco para mostrarla siempre.
survey-q-show-op = Condición
survey-q-show-value = Valor
survey-more-rows = Añadir más filas
survey-type-nps = NPS (0–10)
survey-type-csat = CSAT (1–5)
survey-type-ces = CES (1–7)
survey-type-rating = Valoración
survey-type-single_choice = Opción única
survey-type-multiple_choice = Opción múltiple
survey-type-text = Texto libre
survey-op-eq = es
survey-op-ne = no es
survey-op-lt = es menor que
survey-op-lte = es como máximo
survey-op-gt = es mayor que
survey-op-gte = es como mínimo
survey-op-includes = incluye
survey-op-answered = se respondió
survey-import-intro = Pegue un archivo de Qualtrics (.qsf), SurveyJS (.json) o LimeSurvey (.lss). Se convierte en un borrador; todo lo que no se importe aparece en la lista.
survey-import-source = Contenido del archivo de la encuesta
survey-import-source-hint = Abra el archivo en un editor de texto, copie todo y péguelo aquí.
survey-import-done = La encuesta se importó como borrador.
survey-import-open = Abrirla en el editor
survey-import-report = No importado
survey-import-element = Elemento
survey-import-kind = Tipo
survey-import-reason = Motivo
survey-import-nothing-skipped = Se importó todo el contenido del archivo.
survey-follow-up = ¡Gracias! Según sus respuestas, hay un poco más abajo. Revíselo y envíe.
survey-link-copy = Copie este enlace y envíelo al cliente
nav-dashboard = Panel
dashboard-title = Panel de experiencia del cliente
dashboard-intro = Cada métrica de resultado con su responsable, su objetivo, su valor y su intervalo del 95 %. Los valores con menos de { $min } respuestas o clientes no se muestran como cifras.
dashboard-wall-open = Pantalla mural
dashboard-wall-live = En directo
dashboard-wall-exit = Salir de la pantalla mural
dashboard-filter-segment = Segmento
dashboard-all-customers = Todos los clientes
dashboard-filter-period = Periodo
dashboard-period-30d = Últimos 30 días
dashboard-period-90d = Últimos 90 días
dashboard-period-365d = Últimos 365 días
dashboard-filter-from = Desde
dashboard-filter-to = Hasta
dashboard-filter-apply = Aplicar filtros
dashboard-range = Del { $from } al { $to }
dashboard-kind-leading = Adelantado
dashboard-kind-lagging = Rezagado
dashboard-kind-leading-hint = Lo que dicen los clientes (encuestas): se mueve antes.
dashboard-kind-lagging-hint = Lo que hacen los clientes (comportamiento): llega después.
dashboard-target = Objetivo
dashboard-owner = Responsable
dashboard-owner-organization = Organización
dashboard-trend = Últimos 12 meses
dashboard-csv = Descargar en CSV
dashboard-value = Valor
dashboard-n = n = { $n }
dashboard-n-title = Muestra (n)
dashboard-insufficient = datos insuficientes (n = { $n })
dashboard-interval = Intervalo del 95 %: de { $low } a { $high }
dashboard-interval-title = Intervalo del 95 %
dashboard-status-met = Cumplido
dashboard-status-at_risk = En riesgo
dashboard-status-missed = No cumplido
dashboard-status-insufficient = Datos insuficientes
dashboard-status-none = Sin objetivo
dashboard-criteria-title = Criterios de intención
dashboard-criteria-hint = Cada criterio de la declaración de intención vigente, medido en los últimos { $days } días.
dashboard-criteria-none = La declaración de intención vigente aún no tiene criterios.
dashboard-goals-title = Metas de las experiencias
dashboard-experience = Experiencia
dashboard-goal-latest = Último periodo
dashboard-goal-target = { $target } por { $period }
dashboard-goal-success-title = Periodos en objetivo
dashboard-goal-success = { $rate } ({ $met } de { $judged } periodos)
dashboard-goal-unjudged = Aún no hay periodos con datos suficientes
dashboard-goals-none = Todavía no se ha planificado ninguna experiencia.
dashboard-touchpoints-title = Puntos de contacto
dashboard-touchpoint = Punto de contacto
dashboard-month = Mes
dashboard-open-plan = Abrir el plan
dashboard-series-title = { $metric } por mes
dashboard-series-table = Ver las cifras
dashboard-chart-insufficient = Muy pocas respuestas para fiarse
dashboard-no-interactions = Esta experiencia aún no tiene interacciones clave.
dashboard-outcomes-title = Qué siguió a las interacciones
dashboard-outcomes-hint = Para cada punto de contacto, la primera interacción de cada cliente allí: ¿siguió adelante (otro punto de contacto, una compra, una renovación o una recomendación) o se retiró en { $days } días? Los porcentajes son sobre los clientes cuyo resultado ya se conoce.
dashboard-customers = Clientes
dashboard-engaged = Siguieron adelante
dashboard-pulled-back = Se retiraron
dashboard-pending = Aún es pronto
dashboard-no-activity = No hay actividad de clientes en este periodo.
dashboard-flow-heading = Recorrido diseñado y caminos reales
dashboard-flow-hint = Cuántos de los { $customers } clientes con actividad siguieron el camino diseñado en orden, y los caminos que más siguieron.
dashboard-flow-title = Recorrido de { $name }
dashboard-flow-reached = llegaron
dashboard-flow-dropped = no siguieron
dashboard-flow-customers = clientes
dashboard-part-of = Forma parte de estas experiencias
