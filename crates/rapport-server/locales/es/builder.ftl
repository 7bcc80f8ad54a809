# The survey builder: fields of each question type.
builder-types-hint = Cada pregunta muestra todos los campos; la etiqueta de cada campo indica qué tipos lo usan, y los demás tipos lo ignoran. Consentimiento: la pregunta es el texto que se acepta; marque «Respuesta obligatoria» para que aceptarlo sea obligatorio.
builder-choices = Opciones, elementos a ordenar o etiquetas de la escala
builder-choices-hint = Opción única y múltiple: las opciones. Ordenación: los elementos que se ordenan. Matriz: las etiquetas de los puntos de la escala, de menor a mayor (opcional). Una por línea: clave=Etiqueta en inglés|Etiqueta en español
builder-other = Ofrecer «Otro (especifique)» (opción única y múltiple)
builder-rows = Filas (matriz) o campos (varios textos cortos)
builder-rows-hint = Una por línea: clave=Etiqueta en inglés|Etiqueta en español
builder-more = Más ajustes para valoración, matriz, número y control deslizante
builder-scale = Escala (valoración, matriz)
builder-scale-min = Punto más bajo (matriz: 0 o 1)
builder-scale-max = Punto más alto (valoración: de 3 a 10; matriz: de 2 a 10)
builder-scale-max-hint = Una matriz con etiquetas en los puntos tiene un punto por etiqueta.
builder-not-applicable = Ofrecer «No aplica» en cada fila (matriz)
builder-numbers = Número y control deslizante
builder-min = Mínimo (número, control deslizante)
builder-max = Máximo (número, control deslizante)
builder-step = Incremento (control deslizante; 1 si se deja en blanco)
builder-decimals = Decimales permitidos (número, de 0 a 6)
builder-ends = Etiquetas de los extremos (control deslizante, matriz)
builder-low-en = Extremo inferior (inglés)
builder-low-es = Extremo inferior (español)
builder-high-en = Extremo superior (inglés)
builder-high-es = Extremo superior (español)
builder-block = Bloque de texto: el texto que se muestra (HTML)
builder-html-en = Bloque de texto (inglés)
builder-html-es = Bloque de texto (español)
builder-html-hint = Etiquetas que se conservan: p, br, strong, b, em, i, u, ul, ol, li, h2, h3, h4, a (solo enlaces http, https y mailto), blockquote, hr. Todo lo demás (imágenes, estilos, scripts) se elimina al guardar.
builder-show-if-hint = Clave de una pregunta anterior, o clave.fila para una fila de una matriz o de varios textos cortos; en blanco para mostrarla siempre.
builder-show-value-hint = Para «es alguno de», separe los valores con comas.
builder-second = Segunda condición
builder-join = Unida con
builder-join-none = Sin segunda condición
builder-join-and = y (deben cumplirse las dos)
builder-join-or = o (basta con una)

# The builder: moving and copying question rows.
builder-row-up = Subir
builder-row-down = Bajar
builder-row-duplicate = Duplicar
error-invalid_order = Se muestra según una pregunta que quedaría después: mantenga el orden o cambie antes su condición.

# Sharing a survey's anonymous link.
builder-share-title = Compartir la encuesta
builder-share-intro = El enlace anónimo, su código QR para carteles y tiques, y el HTML para poner la encuesta en su propio sitio web.
builder-share-unpublished = La encuesta aún no está publicada: el enlace, el código QR y la encuesta insertada responden «no encontrado» hasta que la publique.
builder-share-qr-alt = Código QR del enlace de la encuesta
builder-share-qr-download = Descargar el código QR (SVG)
builder-share-link = Enlace anónimo
builder-share-embed = Insertar en una página web (HTML)
builder-share-embed-hint = La encuesta dentro de su página, sin su cabecera. Péguelo donde deba aparecer la encuesta.
builder-share-anchor = Enlace (HTML)
builder-share-qr-html = Imagen del código QR (HTML)

# Spanish texts still to write.
builder-gaps-title = { $count ->
    [one] Falta un texto en español o sigue en inglés.
   *[other] Faltan { $count } textos en español o siguen en inglés.
}
builder-gaps-intro = Quien responde en español los ve en inglés. Las encuestas importadas empiezan con el inglés copiado en el español.
builder-gap-missing = sin español
builder-gap-same_as_english = el español es el texto en inglés
builder-gap-title = Título
builder-gap-intro = Introducción
builder-gap-text = texto de la pregunta
builder-gap-choice = opción { $n }
builder-gap-row = fila { $n }
builder-gap-low = etiqueta del extremo bajo
builder-gap-high = etiqueta del extremo alto

# The preview.
builder-preview-title = Vista previa
builder-preview-intro = La encuesta tal como la ven quienes responden. Sigue sus cambios mientras escribe; sin JavaScript muestra la versión guardada. Nada de lo que se responda aquí se guarda.
builder-preview-lang-en = Inglés
builder-preview-lang-es = Español
builder-preview-phone = Teléfono
builder-preview-desktop = Escritorio
builder-preview-note = Vista previa: las respuestas dadas aquí no se envían.
