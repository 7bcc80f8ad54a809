# Dimensionamiento de personal (E. Personas)
nav-staffing = Personal
staffing-title = Dimensionamiento de personal
staffing-intro = Cuántos agentes necesita un canal de contacto para atender a tiempo (Erlang C) y cómo se compara con los agentes programados, hora a hora.
staffing-calculator = Calculadora Erlang C
staffing-contacts = Contactos por intervalo
staffing-interval = Intervalo (minutos)
staffing-handle = Tiempo medio de gestión (segundos)
staffing-answer = Tiempo de respuesta objetivo (segundos)
staffing-service-level = Nivel de servicio objetivo (%)
staffing-shrinkage = Reducción por ausencias (%)
staffing-max-occupancy = Ocupación máxima (%)
staffing-calculate = Calcular
staffing-traffic = Tráfico (erlangs)
staffing-raw = Agentes necesarios (netos)
staffing-scheduled = Agentes a programar (con ausencias)
staffing-achieved-sl = Nivel de servicio
staffing-occupancy = Ocupación
staffing-waiting = Probabilidad de espera
staffing-asa = Velocidad media de respuesta
staffing-around = Alrededor de esa dotación
staffing-agents = Agentes
staffing-needed-badge = necesarios
staffing-formula = Tráfico = contactos × tiempo de gestión ÷ intervalo. Ocupación = tráfico ÷ agentes. Nivel de servicio = 1 − P(espera) × e^(−(agentes − tráfico) × tiempo de respuesta ÷ tiempo de gestión). Agentes a programar = agentes netos ÷ (1 − reducción), redondeado hacia arriba.
staffing-channels = Canales de contacto
staffing-channels-intro = Cada evento registrado en el punto de contacto de un canal cuenta como un contacto. Abre un punto de contacto para ver su semana o para convertirlo en canal de contacto.
staffing-is-channel = Canal de contacto
staffing-not-channel = No es canal de contacto
staffing-no-touchpoints = Todavía no hay puntos de contacto.
staffing-not-channel-note = Este punto de contacto aún no tiene objetivos de dotación, así que no se cuentan agentes necesarios. Define sus objetivos más abajo.
staffing-csv = Descargar CSV
staffing-week = Agentes necesarios y programados
staffing-weeks = Promedio de
staffing-last-weeks = { $count ->
    [one] la última semana
   *[other] las últimas { $count } semanas
}
staffing-show = Mostrar
staffing-week-note = Horas en { $zone }. Los contactos se promedian entre:
staffing-shortfall-hours = { $count ->
    [one] 1 hora con falta de agentes
   *[other] { $count } horas con falta de agentes
}
staffing-no-shortfall = Ninguna hora tiene falta de agentes
staffing-short-count = faltan en { $count }
staffing-hour = Hora
staffing-avg-contacts = Contactos (promedio)
staffing-needed = Necesarios
staffing-raw-short = { $n } netos
staffing-scheduled-col = Programados
staffing-shortfall = Faltan
staffing-schedule = Programación del { $day }
staffing-save-schedule = Guardar programación
staffing-settings = Objetivos de dotación
staffing-settings-intro = Los objetivos con los que se dota este punto de contacto, en intervalos de una hora.
staffing-save-settings = Guardar objetivos
staffing-day-mon = lunes
staffing-day-tue = martes
staffing-day-wed = miércoles
staffing-day-thu = jueves
staffing-day-fri = viernes
staffing-day-sat = sábado
staffing-day-sun = domingo
error-unreachable = Ningún número de agentes alcanza este objetivo; redúcelo.
