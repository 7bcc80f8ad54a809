# empathy (es): A6 mapas de empatía por punto de contacto
empathy-title = Mapa de empatía
empathy-segment = Segmento
empathy-general = General (todos los clientes)
empathy-show = Mostrar
empathy-evidence-count = { $cited } de { $total } entradas citan evidencias
empathy-version-by = Versión { $version } de { $author }
empathy-old-version = Está viendo la versión { $version }, una versión anterior.
empathy-see-current = Ver el mapa actual
empathy-none = Todavía no hay mapa de empatía. Empiece por lo que dijeron los clientes: añada abajo sus comentarios recientes, o escriba las entradas que su equipo conoce.
empathy-q-says = Dice
empathy-q-thinks = Piensa
empathy-q-does = Hace
empathy-q-feels = Siente
empathy-q-pains = Frustraciones
empathy-q-gains = Beneficios
empathy-theme = Tema
empathy-quote-gone = (el comentario citado se borró)
empathy-cites-response = Respuesta del cliente
empathy-cites-case = Caso
empathy-cites-theme = Tema de los comentarios
empathy-empty-quadrant = Aún no hay nada aquí.
empathy-suggestions = Lo que dijeron aquí los clientes últimamente
empathy-suggestions-note = Los últimos comentarios en este punto de contacto. Los negativos son posibles frustraciones; los positivos, posibles beneficios. Al añadir uno se cita el comentario y la respuesta.
empathy-tone-negative = Negativo
empathy-tone-neutral = Neutro
empathy-tone-positive = Positivo
empathy-tone-mixed = Mixto
empathy-add-as = Añadir a { $quadrant }
empathy-edit = Editar el mapa
empathy-edit-note = Una entrada por fila, { $max } como máximo. Vacíe una fila para quitar su entrada. Cada guardado conserva una versión nueva.
empathy-entry = Entrada { $n }
empathy-quadrant = Cuadrante
empathy-text = Lo que el cliente dice, piensa, hace o siente
empathy-evidence = Evidencia
empathy-evidence-hint = response:ID, case:ID o theme:ID. Una entrada que cita una respuesta puede dejar el texto vacío: el comentario es la entrada.
empathy-save = Guardar como versión nueva
empathy-versions = Versiones
empathy-version = Versión { $version }
empathy-plan-title = Empatía: frustraciones y beneficios
empathy-plan-missing = Aún sin mapa de empatía:
empathy-link-count = { $count ->
    [one] Mapa de empatía (1)
   *[other] Mapa de empatía ({ $count })
}
empathy-link-none = Mapa de empatía: empezar
empathy-top-pain = Principal frustración
