# Survey question types: the public page, answers shown in the inbox and timeline.
survey-type-matrix = Matriz (filas en una escala)
survey-type-numeric = Número
survey-type-slider = Control deslizante
survey-type-ranking = Ordenación
survey-type-date = Fecha
survey-type-multi_text = Varios textos cortos
survey-type-text_block = Bloque de texto (sin respuesta)
survey-type-consent = Casilla de consentimiento
survey-op-any_of = es alguno de
