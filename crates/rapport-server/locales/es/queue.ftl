# queue
# La cola de casos (D2): filtros, prioridad, etiquetas, cambios en bloque, actualización en vivo.
queue-search = Buscar
queue-search-placeholder = Título o cliente
queue-unassigned = Nadie (sin asignar)
queue-any = Cualquiera
queue-priority = Prioridad
queue-tag = Etiqueta
queue-tags = Etiquetas
queue-tags-hint = Etiquetas cortas separadas por comas (como máximo 10, de hasta 32 caracteres cada una).
queue-breached = Plazo incumplido
queue-total = { $count ->
    [one] Un caso
   *[other] { $count } casos
}
queue-total-many = Más de { $count } casos
queue-select = Seleccionar
queue-select-case = Seleccionar «{ $title }»
queue-bulk-title = Con los casos marcados
queue-bulk-assign = Asignar a
queue-bulk-tags = Añadir etiquetas
queue-bulk-submit = Aplicar a los casos marcados
queue-first-page = Primera página
queue-next-page = Página siguiente
queue-stale = Hay casos que han cambiado desde que se cargó esta página.
queue-reload = Recargar la cola
queue-triage-title = Prioridad y etiquetas
queue-detractor = Detractor
queue-default-owner = Responsable predeterminado de la cola
queue-default-owner-hint = Recibe todo caso que ninguna regla de asignación, responsable del punto de contacto ni gestor del canal de escucha tomaría (por ejemplo, un reembolso sin punto de contacto), para que ningún caso se quede sin nadie.
queue-default-owner-none = No hay nadie: esos casos quedan sin asignar.
case-priority-low = Baja
case-priority-normal = Normal
case-priority-high = Alta
case-priority-urgent = Urgente
# Por qué el caso lo tiene quien lo tiene (página del caso).
case-why-routing_rule = Lo tiene { $name }: lo indica una regla de asignación.
case-why-touchpoint_owner = Lo tiene { $name }: es responsable del punto de contacto.
case-why-post_governor = Lo tiene { $name }: gestiona el canal de escucha por el que llegó.
case-why-default_owner = Lo tiene { $name }: es responsable predeterminado de la cola, porque no tiene otro responsable.
case-why-manual = Lo tiene { $name }: lo eligió una persona.
case-why-handover = Lo tiene { $name }: se le traspasó.
case-why-nobody = Nadie tiene este caso: indique un responsable predeterminado de la cola en las reglas de casos.
case-reason-routing_rule = regla de asignación
case-reason-touchpoint_owner = responsable del punto de contacto
case-reason-post_governor = gestor del canal de escucha
case-reason-default_owner = responsable predeterminado de la cola
case-reason-manual = elegido por una persona
case-reason-handover = traspaso
# Líneas del historial: el título de la acción y lo que fue.
case-history-handover = Traspasado
case-history-priority = Prioridad cambiada
case-history-tagged = Etiquetas cambiadas
case-history-other = Cambio
case-history-line = { $action }: { $detail }
case-history-person = persona n.º { $id }
case-history-item-response = respuesta n.º { $id }
case-history-item-event = evento n.º { $id }
case-history-opened-rule = por la regla «{ $rule }», a partir de la { $item }
case-history-opened-rule-only = por la regla «{ $rule }»
case-history-joined-rule = { $items } (regla «{ $rule }»)
case-history-from-to = { $from } → { $to }
case-history-with-reason = { $what } · { $reason }
case-history-escalated-to = a { $name }
case-history-tags-none = sin etiquetas
case-breach-first_response = primera respuesta
case-breach-resolution = resolución
# La sección del panel sobre cerrar el ciclo.
closed-loop-title = Cerrar el ciclo
closed-loop-hint = Casos abiertos en el periodo. Un plazo cuenta cuando está decidido: respondido, o vencido sin respuesta.
closed-loop-rate = Tasa de ciclo cerrado
closed-loop-rate-of = { $kept } de { $decided } dentro del plazo
closed-loop-within = Primera respuesta dentro del plazo
closed-loop-median = Mediana del tiempo hasta la primera respuesta
closed-loop-cases = { $count ->
    [one] Un caso abierto
   *[other] { $count } casos abiertos
}
closed-loop-cases-title = Casos
closed-loop-by-touchpoint = Por punto de contacto
closed-loop-by-agent = Por agente
closed-loop-no-touchpoint = Sin punto de contacto
closed-loop-minutes = { $m } min
closed-loop-hours = { $h } h { $m } min
queue-more-filters = Más filtros
