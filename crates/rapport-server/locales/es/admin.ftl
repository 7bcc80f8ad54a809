## Administración: cuentas e invitaciones, tokens de API, webhooks, notificaciones.

nav-admin = Administración
admin-title = Administración
admin-intro = Quién puede entrar y con qué rol, los sistemas que usan la API, adónde envía Rapport sus eventos, la configuración de la organización y qué cambió y cuándo.
admin-accounts-title = Cuentas e invitaciones
admin-accounts-intro = Las personas del programa entran con una cuenta. Invitar a una persona crea su cuenta y le envía por correo un enlace para elegir contraseña; una cuenta y una persona con el mismo correo se vinculan solas.
admin-tokens-title = Tokens de API
admin-tokens-intro = Los tokens permiten a otros sistemas enviar opiniones a Rapport y leer de él. Cada uno actúa con un rol; si revoca uno, deja de funcionar al momento.
admin-webhooks-title = Webhooks
admin-webhooks-intro = Adónde envía Rapport sus eventos (casos, ideas, anuncios), firmados, con el resultado de cada entrega.
admin-settings-title = Configuración de la organización
admin-settings-intro = Nombre, idioma, zona horaria y horario laboral, y el aspecto de las encuestas públicas.
admin-audit-title = Registro de auditoría
admin-audit-intro = Quién cambió qué y cuándo, con filtros y exportación.

admin-field-email = Correo electrónico
admin-field-person_id = Persona
admin-field-role = Rol
admin-field-status = Estado
admin-field-name = Nombre
admin-field-user = Cuenta
admin-choose-person = Elija una persona…
admin-no-person = — sin vincular —
admin-link = Vincular
admin-save-role = Cambiar
admin-invited = Invitada
admin-invitation-expires = enlace válido hasta el { $date }
admin-withdraw = Retirar invitación
admin-you = Usted
admin-active = Activa
admin-accounts-list = { $count ->
    [one] Una cuenta
   *[other] { $count } cuentas
}
admin-invite-title = Invitar a una persona
admin-invite-intro = Recibirá un correo con un enlace para elegir su contraseña, válido durante 7 días.
admin-invite-none = Todas las personas activas del programa ya tienen cuenta. Añada una persona en la página Personas para invitarla.
admin-invite-submit = Enviar invitación

admin-token-new = Nuevo token
admin-token-name-hint = Indique quién lo usa, p. ej. «crm-sync».
admin-token-submit = Crear token
admin-token-created = Token creado
admin-token-once = Cópielo ahora: se muestra esta única vez y no se puede volver a mostrar.
admin-tokens-list = { $count ->
    [one] Un token
   *[other] { $count } tokens
}
admin-tokens-empty = Aún no hay tokens.
admin-token-created-by = Creado por
admin-token-last-used = Último uso
admin-token-never-used = nunca
admin-token-revoke = Revocar
admin-token-revoked = Revocado el { $date }

flash-invited = Invitación enviada.
flash-withdrawn = Invitación retirada.
flash-revoked = Token revocado. Ya no funciona.
flash-welcome = ¡Bienvenida o bienvenido! Su contraseña está guardada y ya ha entrado.

invitation-title = Únase a su equipo en Rapport
invitation-welcome = Le invitaron a { $org } como { $email }. Elija una contraseña para entrar.
invitation-submit = Guardar contraseña y entrar
invitation-invalid = Este enlace de invitación ha caducado o ya se usó. Pida uno nuevo a su administrador.
invitation-mail-title = Le invitan a { $org } en Rapport
invitation-mail-text = Abra el enlace para elegir su contraseña y entrar. Funciona una vez, durante 7 días.

notifications-title = Notificaciones
notifications-aria = { $count ->
    [0] Notificaciones, ninguna sin leer
    [one] Notificaciones, una sin leer
   *[other] Notificaciones, { $count } sin leer
}
notifications-read-all = Marcar todo como leído
notifications-unread = (sin leer)
notifications-older = Anteriores
notifications-empty = Nada por ahora. Aquí aparecen los anuncios para usted, los casos que le asignan y las novedades de sus ideas.
notifications-settings-link = Elegir qué le llega
notifications-settings-title = Qué le llega
notifications-settings-intro = Para cada tipo, elija dónde enterarse. No se envía nada por correo salvo que lo pida.
notification-kind-announcement = Anuncio
notification-kind-case_assigned = Caso asignado a usted
notification-kind-case_breached = Caso fuera de plazo
notification-kind-idea_status = Estado de su idea
notification-kind-idea_comment = Comentario en su idea
notification-delivery-in_app = Solo en Rapport
notification-delivery-email = En Rapport y por correo al momento
notification-delivery-digest = En Rapport y en un correo diario
notification-delivery-off = Desactivado
notifications-digest-title = Su resumen de Rapport: { $count ->
    [one] una novedad
   *[other] { $count } novedades
}

admin-webhooks-list = { $count ->
    [one] Un webhook
   *[other] { $count } webhooks
}
admin-webhooks-empty = Aún no hay webhooks.
admin-webhook-new = Nuevo webhook
admin-webhook-edit = Cambiar este webhook
admin-webhook-events = Eventos
admin-webhook-field-name = Nombre
admin-webhook-field-url = Dirección (URL)
admin-webhook-field-format = Formato
admin-webhook-field-events = Eventos
admin-webhook-field-active = Activo
admin-webhook-events-hint = «*» para todos los eventos, o nombres separados por comas, p. ej. case.opened, case.breached, idea.status. Los enlaces de acceso y los resúmenes personales nunca salen por webhook.
admin-webhook-format-json = JSON de Rapport, firmado
admin-webhook-format-slack = Mensaje de Slack
admin-webhook-active = Activo
admin-webhook-paused = En pausa
admin-webhook-test = Enviar un evento de prueba
admin-webhook-secret = Secreto de firma
admin-webhook-secret-once = Cópielo ahora: se muestra esta única vez. Compruebe con él la cabecera X-Rapport-Signature (HMAC-SHA256 del cuerpo).
admin-webhook-deliveries = Entregas recientes
admin-webhook-no-deliveries = Aún no se ha enviado nada. Envíe un evento de prueba para probar la dirección.
admin-webhook-event = Evento
admin-webhook-attempts = Intentos
admin-webhook-last-error = Último error
admin-webhook-when = Cuándo
admin-webhook-redeliver = Volver a enviar
admin-webhook-delete = Eliminar webhook
admin-delivery-pending = Pendiente
admin-delivery-delivered = Entregada
admin-delivery-failed = Abandonada
admin-delivery-gave-up = abandonada el { $date }
admin-delivery-retry = próximo intento el { $date }
flash-test-sent = Evento de prueba en cola. Su entrega aparece abajo en unos segundos.
flash-redelivered = Enviado de nuevo como una entrega nueva.
