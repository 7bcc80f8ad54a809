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
