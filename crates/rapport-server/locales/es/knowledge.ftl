# Knowledge (E. People)
nav-knowledge = Base de conocimiento
knowledge-title = Base de conocimiento
knowledge-intro = Respuestas para la primera línea: preguntas frecuentes, descripciones de producto y procedimientos, en español e inglés. Busca en cualquiera de los dos idiomas.
knowledge-new = Nuevo artículo
knowledge-edit = Editar artículo
knowledge-search = Buscar
knowledge-search-placeholder = p. ej. reembolso, molinillo, horario
knowledge-search-submit = Buscar
knowledge-search-all = Buscar en la base de conocimiento
knowledge-kind = Tipo
knowledge-any-kind = Cualquier tipo
knowledge-kind-faq = Pregunta frecuente
knowledge-kind-product = Descripción de producto
knowledge-kind-procedure = Procedimiento
knowledge-touchpoint = Punto de contacto
knowledge-any-touchpoint = Cualquier punto de contacto
knowledge-archived = Archivados
knowledge-archived-badge = Archivado
knowledge-most-used = Los más usados desde casos
knowledge-most-used-at = Los más usados en { $name }
knowledge-outdated-title = Marcados como desactualizados
knowledge-outdated-at = Desactualizados en { $name }
knowledge-outdated-hint = Los agentes dicen que ya no reflejan cómo se trabaja: el responsable debería corregirlos. Una nueva versión borra la marca.
knowledge-none-used = Aún no se ha abierto ningún artículo desde un caso.
knowledge-none-outdated = Nada está marcado como desactualizado.
knowledge-uses = { $count ->
    [one] abierto una vez desde un caso
   *[other] abierto { $count } veces desde casos
}
knowledge-outdated-count = { $count ->
    [one] 1 marca de desactualizado
   *[other] { $count } marcas de desactualizado
}
knowledge-helpful-count = { $count ->
    [one] a 1 persona le resultó útil
   *[other] a { $count } personas les resultó útil
}
knowledge-version = Versión { $version }
knowledge-empty = Aún no hay artículos.
knowledge-no-match = Ningún artículo coincide. Prueba otra palabra o el otro idioma.
knowledge-next = Página siguiente
knowledge-back-to-case = Volver al caso «{ $title }»
knowledge-written-by = Versión { $version } de { $author }
knowledge-fallback-en = Se muestra en inglés: este artículo aún no tiene versión en español.
knowledge-fallback-es = Se muestra en español: aún no hay versión en tu idioma.
knowledge-old-version = Estás leyendo la versión { $version }; la actual es la { $current }.
knowledge-see-current = Ver la versión actual
knowledge-archived-note = Este artículo está archivado: ya no se sugiere ni aparece en la lista.
knowledge-marked-outdated = { $count ->
    [one] Alguien marcó esta versión como desactualizada.
   *[other] { $count } personas marcaron esta versión como desactualizada.
}
knowledge-links = Vinculado a
knowledge-link-touchpoint = Punto de contacto
knowledge-link-root-cause = Causa raíz
knowledge-link-case-rule = Regla de casos
knowledge-link-touchpoints = Puntos de contacto
knowledge-link-root-causes = Causas raíz
knowledge-link-case-rules = Reglas de casos
knowledge-marks = ¿Te ha servido?
knowledge-my-mark-helpful = Lo marcaste como útil
knowledge-my-mark-outdated = Lo marcaste como desactualizado
knowledge-mark-helpful = Útil
knowledge-mark-outdated = Desactualizado
knowledge-note = ¿Qué está desactualizado?
knowledge-note-hint = Opcional, para el responsable que lo corrija (500 caracteres como máximo).
knowledge-notes = Notas sobre esta versión
knowledge-history = Versiones
knowledge-shown = mostrada
knowledge-archive = Archivar
knowledge-archive-hint = Los artículos archivados se pueden leer, pero ya no aparecen en la lista ni se sugieren en los casos.
knowledge-form-intro = Escribe en español, en inglés o en ambos; cada lector ve su idioma y, si falta, el otro. Cada vez que guardas se crea una versión nueva.
knowledge-english = Inglés
knowledge-spanish = Español
knowledge-field-title = Título
knowledge-field-body = Texto
knowledge-body-hint = Markdown: # títulos, - listas, **negrita**, [enlaces](https://…), imágenes subidas a Rapport como ![pie](/media/ID).
knowledge-one-language = Título y texto en al menos un idioma.
knowledge-new-version-hint = Al guardar se crea una versión nueva; las marcas de desactualizado de la anterior dejan de contar.
knowledge-save = Guardar
knowledge-cancel = Cancelar
knowledge-case-title = Artículos sugeridos
knowledge-case-none = Aún no hay artículos para este caso.
knowledge-why-root-cause = vinculado a la causa raíz { $name }
knowledge-why-touchpoint = vinculado al punto de contacto { $name }
knowledge-why-words = coincide: { $name }
knowledge-touchpoint-link = Artículos de la base de conocimiento para este punto de contacto
