# Reconocimiento (E. Personas)
nav-recognition = Reconocimiento
notification-kind-kudos = Reconocimiento para ti o tu equipo

recognition-title = Reconocimiento
recognition-intro = Agradece a las personas y equipos que alegraron el día a un cliente, y muestra lo que hicieron: el comentario de un cliente, un caso que el cliente dio por resuelto, un sprint que mejoró un punto de contacto.
recognition-leaders-title = Quién lidera
recognition-performance-title = Cifras y resultados
recognition-engagement-link = Ideas y participación
recognition-leaders-intro = Las personas cuyas ideas se implantaron, que dirigieron un sprint cuyo resultado mejoró y que recibieron reconocimientos; y lo mismo por departamento y mes.
recognition-leaders-people = Personas
recognition-leaders-empty = Nadie todavía: aquí aparecerán las ideas implantadas, los sprints que mejoraron y los reconocimientos.
recognition-person = Persona
recognition-ideas-implemented = Ideas implantadas
recognition-sprints-improved = Sprints con mejora
recognition-total = Total
recognition-trend-title = Por departamento y mes

kudos-give-title = Dar un reconocimiento
kudos-to-hint = A una persona o a todo un equipo (un departamento): elige una de las dos opciones.
kudos-field-person = Persona
kudos-field-team = Equipo (departamento)
kudos-field-department = Departamento
kudos-field-reason = Qué hizo
kudos-reason-hint = Sé concreto: qué pasó, con qué cliente y por qué importó (hasta 1.000 caracteres).
kudos-evidence = Prueba
kudos-evidence-pick = Elige un elemento reciente
kudos-evidence-kind = O indícalo: tipo
kudos-evidence-id = Su número
kudos-evidence-response = Respuesta de un cliente
kudos-evidence-case = Caso cerrado con el acuerdo del cliente
kudos-evidence-sprint = Sprint que mejoró su punto de contacto
kudos-submit = Dar el reconocimiento
kudos-suggestions-title = Pruebas que podrías reconocer
kudos-suggestions-hint = Comentarios recientes de promotores o momentos WOW que nombran a un compañero.
kudos-see-response = Ver la respuesta
kudos-filter = Filtrar
kudos-any-department = Cualquier departamento
kudos-feed-title = Reconocimientos recientes
kudos-line = { $giver } → { $recipient }
kudos-team = Equipo
kudos-older = Reconocimientos anteriores
kudos-empty = Todavía no hay reconocimientos.
kudos-summary-title = Resumen mensual por departamento
kudos-month = Mes
kudos-received = Recibidos
kudos-given = Dados
kudos-no-department = Sin departamento

performance-intro = Las cifras operativas de cada agente junto a los resultados con los clientes de su trabajo. Se señala a quien está en el cuarto más rápido y a la vez en el cuarto peor en resultados: puede estar cumpliendo sus cifras a costa del cliente. Solo lo ven responsables y administradores.
performance-rules = Los resultados son las respuestas del cliente de un caso en los { $window } días siguientes a su cierre. No se señala a nadie con menos de { $cases } casos cerrados o { $responses } respuestas, ni cuando se pueden comparar menos de { $agents } agentes.
performance-period = Periodo
performance-period-hint = Un mes (2026-11) o un trimestre (2026-Q4).
performance-show = Mostrar
performance-period-title = Periodo { $period }
performance-flagged-count = { $count ->
    [one] Una persona señalada.
   *[other] { $count } personas señaladas.
}
performance-agent = Agente
performance-status = Estado
performance-cases = Casos cerrados
performance-hours = Mediana de horas hasta el cierre
performance-promises = Promesas cumplidas
performance-kept = primera respuesta { $first }/{ $n }, resolución { $resolution }/{ $n }
performance-outcome = Resultado neto
performance-nps = NPS
performance-csat = CSAT satisfechos
performance-reopened = Reabiertos
performance-complaints = Quejas que lo nombran
performance-fast = cuarto más rápido
performance-poor = cuarto peor en resultados
performance-status-flagged = Señalado
performance-status-clear = Sin señal
performance-status-too_few_cases = Pocos casos
performance-status-too_few_responses = Pocas respuestas
performance-status-too_few_agents = Pocos agentes para comparar
performance-empty = Ningún agente cerró un caso en este periodo.

error-kudos_both = Elige una persona o un equipo, no ambos.
error-kudos_self = Los reconocimientos son para otra persona.
error-kudos_unknown_person = Elige una persona activa de tu organización.
error-kudos_no_team = Nadie activo trabaja en este departamento.
error-evidence_not_found = No hay ninguna respuesta así en tu organización.
error-evidence_not_agreed = Ningún caso de tu organización cerrado con el acuerdo del cliente tiene este número.
error-evidence_not_improved = Ningún sprint de tu organización con un resultado mejorado tiene este número.
