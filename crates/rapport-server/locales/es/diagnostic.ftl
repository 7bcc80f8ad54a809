# diagnostic (es)
# The twenty questions translated from seed 002 (seed 004, the Spanish
# article, does not contain them).
diagnostic-q-q1 = ¿Ha articulado con claridad la experiencia que quiere que reciban sus clientes, de forma que todos los empleados puedan entenderla?
diagnostic-q-q2 = ¿Está contratando por los mejores rasgos básicos de servicio al cliente, como la calidez, la empatía, el optimismo, la atención al detalle y el trabajo en equipo?
diagnostic-q-q3 = ¿Está reclutando nuevos empleados de cara al cliente con las habilidades y capacidades para ofrecer la experiencia del cliente que desea?
diagnostic-q-q4 = ¿Ha trazado el perfil de sus empleados de cara al cliente que ya tienen éxito para identificar los rasgos que funcionan en su organización?
diagnostic-q-q5 = Si pudieran robarle algo a su organización, ¿elegirían sus competidores a su gente?
diagnostic-q-q6 = ¿Dan sus procesos a los empleados tiempo suficiente para escuchar, diagnosticar y resolver los problemas de cada cliente?
diagnostic-q-q7 = ¿Puede un cliente pulsar 0 en cualquier momento dentro de su sistema de respuesta de voz interactiva (IVR) para hablar con un representante de servicio al cliente?
diagnostic-q-q8 = ¿Transmiten sus sistemas de cara al cliente la información y los datos necesarios del cliente de un punto de contacto a otro, de modo que pueda mantenerse un diálogo continuo con el cliente a lo largo de todo su recorrido?
diagnostic-q-q9 = ¿Dispone de una buena selección de métricas adelantadas y retrasadas del desempeño con los clientes sobre el uso de sus procesos y su tecnología?
diagnostic-q-q10 = ¿Están todos sus procesos clave de cara al cliente habilitados para dispositivos móviles?
diagnostic-q-q11 = ¿Sabe cuáles son las expectativas de sus clientes respecto a su servicio, su producto y su marca?
diagnostic-q-q12 = ¿Solicita de forma proactiva la opinión de los clientes en sus puntos de contacto clave?
diagnostic-q-q13 = ¿Responde de inmediato a las quejas e inquietudes de los clientes, sin importar el canal que utilicen para comunicarse con usted?
diagnostic-q-q14 = ¿Ha mapeado todos sus puntos de contacto con el cliente?
diagnostic-q-q15 = ¿Sabe quién es el «dueño» de cada punto de contacto con el cliente dentro de su organización, es decir, quién rinde cuentas y es responsable de mejorarlo?
diagnostic-q-q16 = ¿Ha elaborado una lista de comportamientos «perfectos» del cliente?
diagnostic-q-q17 = ¿Ha trabajado con su director financiero o su equipo financiero para identificar los elementos de su modelo de retorno de la experiencia del cliente (ROCE)?
diagnostic-q-q18 = ¿Conoce todos los costes asociados a un mal servicio en su organización; por ejemplo, la deserción de clientes, la pérdida de clientes, las recompras, las cancelaciones y las no renovaciones?
diagnostic-q-q19 = ¿Ha calculado el coste de adquirir un cliente nuevo frente al coste de retener a uno existente?
diagnostic-q-q20 = ¿Ha determinado qué porcentaje de la deserción de clientes se debe a cuestiones de precio frente a cuestiones de servicio?

diagnostic-title = Diagnóstico
diagnostic-intro = Las veinte preguntas para comenzar su propio diagnóstico de la experiencia del cliente, en cuatro áreas de cinco. Varias personas responden cada una de 1 (nada) a 5 (totalmente); repítalo cada trimestre para ver la tendencia.
diagnostic-area-personnel = Personal
diagnostic-area-processes_technology = Procesos y tecnología
diagnostic-area-customers = Clientes
diagnostic-area-financials = Finanzas
diagnostic-rounds = Rondas
diagnostic-none = Aún no hay ninguna ronda: abra la primera abajo.
diagnostic-new-round = Abrir una ronda
diagnostic-field-name = Nombre
diagnostic-field-name-hint = Por ejemplo «T1 2026».
diagnostic-field-opened-on = Abierta el
diagnostic-open-round = Abrir la ronda
diagnostic-round = Ronda
diagnostic-overall = Global
diagnostic-answerers = { $n ->
    [one] 1 persona ha respondido
   *[other] { $n } personas han respondido
}
diagnostic-status-open = Abierta
diagnostic-status-closed = Cerrada
diagnostic-trend = Tendencia
diagnostic-trend-chart = Puntuación media por área y global, ronda a ronda, en la escala de 1 a 5.
diagnostic-trend-needs-two = La tendencia aparece cuando dos rondas tienen respuestas.
diagnostic-delta = Cambio desde la ronda anterior
diagnostic-no-delta = Primera ronda
diagnostic-answer = Responder
diagnostic-results = Resultados
diagnostic-print = Informe para imprimir
diagnostic-print-hint = Use la orden Imprimir de su navegador para imprimir este informe o guardarlo como PDF.
diagnostic-close = Cerrar la ronda
diagnostic-close-hint = Al cerrarla se congelan todas las respuestas; nadie podrá cambiarlas después.
diagnostic-closed-note = Esta ronda está cerrada: sus respuestas están congeladas.
diagnostic-scale-1 = Nada
diagnostic-scale-2 = Un poco
diagnostic-scale-3 = En parte
diagnostic-scale-4 = Casi del todo
diagnostic-scale-5 = Totalmente
diagnostic-scale = Su puntuación, de 1 a 5
diagnostic-comment = Comentario (opcional)
diagnostic-submit = Guardar mis respuestas
diagnostic-saved = Sus respuestas se han guardado; puede cambiarlas hasta que se cierre la ronda.
diagnostic-answer-intro = Puntúe cada pregunta de 1 (nada) a 5 (totalmente). Puede guardar algunas ahora y el resto más tarde.
diagnostic-answer-as = Responde como { $name }.
diagnostic-no-person = Su cuenta no está vinculada a ninguna persona de la organización, así que no puede responder; pida a un administrador que la vincule.
diagnostic-mean = Media
diagnostic-percent = Porcentaje del máximo
diagnostic-percent-note = Las puntuaciones son medias en la escala de 1 a 5; el porcentaje es la media como parte del máximo, media ÷ 5 × 100. La media de un área es la media de las medias de sus preguntas; la global, la media de las áreas.
diagnostic-spread = Dispersión entre quienes responden
diagnostic-sd = DE { $sd }
diagnostic-range = rango { $min }–{ $max }
diagnostic-answered = { $n ->
    [one] 1 respuesta
   *[other] { $n } respuestas
}
diagnostic-disagree = No hay acuerdo
diagnostic-disagree-note = Se señala cuando las respuestas difieren en 2 puntos o más: merece una conversación.
diagnostic-not-answered = Sin respuestas todavía
diagnostic-comments = Comentarios
diagnostic-evidence = Lo que sabe Rapport
diagnostic-evidence-see = Ver las cifras
diagnostic-signal-strong = Implantado
diagnostic-signal-partial = En marcha
diagnostic-signal-weak = Pendiente
diagnostic-evidence-listening = { $heard } de { $touchpoints } puntos de contacto tienen un puesto de escucha ({ $percent } %).
diagnostic-evidence-listening-empty = Aún no hay puntos de contacto en el mapa del recorrido, así que no hay dónde escuchar.
diagnostic-evidence-journey = { $touchpoints } puntos de contacto en el mapa del recorrido; { $gaps } sin puesto de escucha.
diagnostic-evidence-journey-empty = El mapa del recorrido aún no tiene puntos de contacto.
diagnostic-evidence-promise = El { $percent } % de { $decided } casos se respondió dentro del plazo prometido de primera respuesta en los últimos 90 días; el canal más débil: { $channel }, con un { $worst } %.
diagnostic-evidence-promise-none = Ningún caso tuvo vencido su plazo de primera respuesta en los últimos 90 días.
diagnostic-evidence-ownership = { $owned } de { $touchpoints } puntos de contacto tienen un responsable activo ({ $percent } %).
diagnostic-evidence-ownership-empty = Aún no hay puntos de contacto que asignar: primero trace el recorrido.
diagnostic-evidence-behaviours = { $count } comportamientos perfectos del cliente definidos.
diagnostic-evidence-behaviours-none = Aún no se ha definido ningún comportamiento perfecto del cliente.
diagnostic-evidence-roce-inputs = El modelo ROCE usa los datos financieros propios de sus responsables.
diagnostic-evidence-roce-defaults = El modelo ROCE aún usa cifras por defecto: defina las suyas con su equipo financiero.
diagnostic-evidence-roce-cost = Coste del mal servicio en el modelo ROCE: { $amount } al año.
diagnostic-evidence-roce-acquisition = Captar un cliente cuesta { $ratio } veces lo que cuesta retenerlo.
diagnostic-evidence-roce-defection = De las deserciones con motivo conocido: { $price } % por precio, { $service } % por servicio.
diagnostic-evidence-roce-defection-none = Aún no se han registrado motivos de deserción.
diagnostic-error-closed = La ronda está cerrada: sus respuestas están congeladas.
