# behaviours (es)
behaviours-title = Comportamientos perfectos
behaviours-intro = Los comportamientos que queremos que muestren los clientes, cada uno una regla sobre sus eventos. Un cliente muestra un comportamiento el día en que tiene un evento que coincide y alcanza el número dentro de la ventana (cuentan los eventos anteriores, también los de antes del periodo). La tasa es los clientes que lo mostraron ÷ los clientes elegibles; «actual» son los últimos { $days } días.
behaviours-empty = Todavía no hay comportamientos perfectos. Añade el primero abajo: por ejemplo «Vuelve a comprar en 60 días» (compra, 2 eventos, 60 días).
behaviours-rule = { $count ->
    [one] Al menos un evento de { $type }
   *[other] Al menos { $count } eventos de { $type }
} { $window ->
    [0] en cualquier momento
    [1] en un mismo día
   *[other] en { $window } días
}
behaviours-rule-touchpoint = en { $touchpoint }
behaviours-rule-base-matching = Tasa entre los clientes con un evento de { $type } en el periodo.
behaviours-rule-base-active = Tasa entre todos los clientes activos en el periodo.
behaviours-owner = Responsable
behaviours-choose-owner = Elige una persona
behaviours-target = Objetivo (%)
behaviours-current = Últimos { $days } días
behaviours-of = { $shown } de { $eligible }
behaviours-trend = Tendencia (12 meses)
behaviours-by-month = Por mes
behaviours-month = Mes
behaviours-rate = Tasa
behaviours-eligible = Clientes elegibles
behaviours-no-data = Sin datos
behaviours-on-target = En objetivo
behaviours-below-target = Por debajo del objetivo
behaviours-edit = Editar
behaviours-save = Guardar
behaviours-delete = Eliminar
behaviours-delete-question = ¿Eliminar este comportamiento y sus cifras?
behaviours-add = Añadir un comportamiento
behaviours-name = Nombre
behaviours-name-es = Nombre en español
behaviours-event-type = Tipo de evento
behaviours-event-type-hint = Un tipo integrado (purchase, referral, renewal…) o custom:NOMBRE.
behaviours-touchpoint = Punto de contacto
behaviours-any-touchpoint = Cualquier punto de contacto
behaviours-count = Número de eventos
behaviours-window = En (días)
behaviours-window-hint = Déjalo en blanco para cualquier momento.
behaviours-base = Tasa entre
behaviours-base-matching = Clientes con un evento que coincide
behaviours-base-active = Todos los clientes activos
behaviours-link = Comportamientos perfectos
behaviours-type-purchase = compra
behaviours-type-referral = recomendación
behaviours-type-renewal = renovación
behaviours-type-non_renewal = no renovación
behaviours-type-cancellation = cancelación
behaviours-type-refund = reembolso
behaviours-type-contact = contacto
behaviours-type-touchpoint_visit = visita a un punto de contacto
metric-perfect_behaviour = Comportamiento perfecto
metric-perfect_behaviour-definition = De los clientes elegibles en el periodo, los que mostraron el comportamiento (su regla: un tipo de evento, cuántos y en cuántos días; cuentan los eventos anteriores).
