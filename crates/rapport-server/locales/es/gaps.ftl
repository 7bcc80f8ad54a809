# gaps (es) — F3. Análisis de brechas
gaps-title = Análisis de brechas
gaps-page-title = Análisis de brechas · { $experience }
gaps-intro = Cada interacción clave frente a los criterios de intención y el objetivo que le aplican, junto a lo que los clientes dicen que importa, ordenadas por el tamaño de la brecha ponderada por su importancia.
gaps-window = Últimos 30 días: { $from } – { $to }
gaps-everyone = Todos los clientes
gaps-for-segment = Segmento: { $segment }
gaps-experience = Experiencia
gaps-segment = Segmento
gaps-show = Mostrar
gaps-no-experience = Aún no hay ninguna experiencia. Crea una, añade sus interacciones clave y sus criterios de intención, y sus brechas aparecerán aquí.
gaps-ranked = Brechas, de mayor a menor
gaps-open-count = { $count ->
    [0] Ninguna brecha abierta
    [one] 1 brecha abierta
   *[other] { $count } brechas abiertas
}
gaps-how = Brecha = cuánto le falta al valor para llegar al objetivo, en % del rango de la métrica. Peso = importancia declarada ÷ 5, importancia derivada ÷ la del impulsor más fuerte, o su media cuando se conocen ambas (0,6 si no se conoce ninguna). Brecha ponderada = brecha × peso.
gaps-no-derived = Ningún recálculo de impulsores clave ha derivado todavía la importancia para esta experiencia y segmento: solo se usa la importancia declarada.
gaps-touchpoint = Punto de contacto
gaps-metric = Métrica
gaps-actual = Real
gaps-target = Objetivo
gaps-n = Respuestas
gaps-stated = Importancia declarada
gaps-derived = Importancia derivada
gaps-gap = Brecha
gaps-weighted = Brecha ponderada
gaps-actions = Actuar
gaps-short-by = faltan { $shortfall }
gaps-status-met = Cumplido
gaps-status-at_risk = Cumplido, en riesgo
gaps-status-missed = Incumplido
gaps-status-insufficient = Datos insuficientes
gaps-source-touchpoint = criterio del punto de contacto
gaps-source-experience = criterio de la experiencia
gaps-source-organization = criterio de la organización
gaps-source-goal = objetivo de la experiencia
gaps-basis-stated = declarada
gaps-basis-derived = derivada
gaps-basis-both = declarada y derivada
gaps-basis-default = sin importancia indicada
gaps-make-idea = Convertir en idea
gaps-start-sprint = Iniciar un sprint
gaps-idea-link = Idea n.º { $id }
gaps-sprint-link = Sprint n.º { $id }
gaps-empty = Aún no se aplica ningún objetivo a los puntos de contacto de esta experiencia: añade criterios de intención o un objetivo.
gaps-insufficient = Datos insuficientes
gaps-insufficient-note = Menos de 30 respuestas en los últimos 30 días: no se clasifican ni se cuentan como cumplidas.
gaps-refused = Esa brecha no puede convertirse en trabajo:
gaps-idea-title = Cerrar la brecha en { $touchpoint }: { $metric } { $value } frente a un objetivo de { $comparator } { $threshold } ({ $segment })
gaps-idea-body = Del análisis de brechas de { $experience } ({ $segment }), { $from } – { $to }: en { $touchpoint }, { $metric } es { $value } con { $n } respuestas, frente a un objetivo de { $comparator } { $threshold }. Brecha: { $gap } % del rango de la métrica; ponderada por importancia: { $weighted }. Ver { $link }.
gaps-sprint-name = { $touchpoint }: { $metric } a { $comparator } { $threshold }
