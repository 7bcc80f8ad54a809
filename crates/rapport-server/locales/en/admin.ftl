## Administration: accounts and invitations, API tokens, webhooks, notifications.

nav-admin = Administration
admin-title = Administration
admin-intro = Who can sign in and with what role, the systems that use the API, where Rapport sends its events, the organization’s settings and what changed when.
admin-accounts-title = Accounts and invitations
admin-accounts-intro = People of the program sign in with an account. Inviting a person creates their account and e-mails them a link to set a password; an account and a person with the same e-mail are linked by themselves.
admin-tokens-title = API tokens
admin-tokens-intro = Tokens let other systems send feedback to Rapport and read from it. Each acts with a role; revoke one and it stops working at once.
admin-webhooks-title = Webhooks
admin-webhooks-intro = Where Rapport sends its events (cases, ideas, announcements), signed, with every delivery’s outcome.
admin-settings-title = Organization settings
admin-settings-intro = Name, language, time zone and working hours, and how public survey pages look.
admin-audit-title = Audit log
admin-audit-intro = Who changed what and when, filtered and exported.

admin-field-email = E-mail
admin-field-person_id = Person
admin-field-role = Role
admin-field-status = Status
admin-field-name = Name
admin-field-user = Account
admin-choose-person = Choose a person…
admin-no-person = — not linked —
admin-link = Link
admin-save-role = Change
admin-invited = Invited
admin-invitation-expires = link valid until { $date }
admin-withdraw = Withdraw invitation
admin-you = You
admin-active = Active
admin-accounts-list = { $count ->
    [one] One account
   *[other] { $count } accounts
}
admin-invite-title = Invite a person
admin-invite-intro = They get an e-mail with a link to set their password, valid for 7 days.
admin-invite-none = Everyone active in the program already has an account. Add a person on the People page to invite them.
admin-invite-submit = Send invitation

admin-token-new = New token
admin-token-name-hint = Say who uses it, e.g. “crm-sync”.
admin-token-submit = Create token
admin-token-created = Token created
admin-token-once = Copy it now: it is shown this once and cannot be shown again.
admin-tokens-list = { $count ->
    [one] One token
   *[other] { $count } tokens
}
admin-tokens-empty = No tokens yet.
admin-token-created-by = Created by
admin-token-last-used = Last used
admin-token-never-used = never
admin-token-revoke = Revoke
admin-token-revoked = Revoked { $date }

flash-invited = Invitation sent.
flash-withdrawn = Invitation withdrawn.
flash-revoked = Token revoked. It no longer works.
flash-welcome = Welcome! Your password is set and you are signed in.

invitation-title = Join your team on Rapport
invitation-welcome = You were invited to { $org } as { $email }. Choose a password to sign in.
invitation-submit = Set password and sign in
invitation-invalid = This invitation link has expired or was already used. Ask your administrator for a new one.
invitation-mail-title = You are invited to { $org } on Rapport
invitation-mail-text = Open the link to choose your password and sign in. It works once, for 7 days.

notifications-title = Notifications
notifications-aria = { $count ->
    [0] Notifications, none unread
    [one] Notifications, one unread
   *[other] Notifications, { $count } unread
}
notifications-read-all = Mark all read
notifications-unread = (unread)
notifications-older = Older
notifications-empty = Nothing yet. Announcements for you, cases assigned to you and news of your ideas appear here.
notifications-settings-link = Choose what reaches you
notifications-settings-title = What reaches you
notifications-settings-intro = For each kind, choose where you hear of it. Nothing is e-mailed unless you ask for it.
notification-kind-announcement = Announcement
notification-kind-case_assigned = Case assigned to you
notification-kind-case_breached = Case past its promise
notification-kind-idea_status = Your idea’s status
notification-kind-idea_comment = Comment on your idea
notification-delivery-in_app = In Rapport only
notification-delivery-email = In Rapport and by e-mail at once
notification-delivery-digest = In Rapport and in a daily e-mail
notification-delivery-off = Off
notifications-digest-title = Your Rapport digest: { $count ->
    [one] one thing
   *[other] { $count } things
}

admin-webhooks-list = { $count ->
    [one] One webhook
   *[other] { $count } webhooks
}
admin-webhooks-empty = No webhooks yet.
admin-webhook-new = New webhook
admin-webhook-edit = Change this webhook
admin-webhook-events = Events
admin-webhook-field-name = Name
admin-webhook-field-url = Address (URL)
admin-webhook-field-format = Format
admin-webhook-field-events = Events
admin-webhook-field-active = Active
admin-webhook-events-hint = “*” for every event, or names separated by commas, e.g. case.opened, case.breached, idea.status. Sign-in links and personal digests never leave by webhook.
admin-webhook-format-json = Rapport JSON, signed
admin-webhook-format-slack = Slack message
admin-webhook-active = Active
admin-webhook-paused = Paused
admin-webhook-test = Send a test event
admin-webhook-secret = Signing secret
admin-webhook-secret-once = Copy it now: it is shown this once. Check the X-Rapport-Signature header (HMAC-SHA256 of the body) with it.
admin-webhook-deliveries = Recent deliveries
admin-webhook-no-deliveries = Nothing sent yet. Send a test event to try the address.
admin-webhook-event = Event
admin-webhook-attempts = Attempts
admin-webhook-last-error = Last error
admin-webhook-when = When
admin-webhook-redeliver = Send again
admin-webhook-delete = Delete webhook
admin-delivery-pending = Pending
admin-delivery-delivered = Delivered
admin-delivery-failed = Given up
admin-delivery-gave-up = gave up { $date }
admin-delivery-retry = next try { $date }
flash-test-sent = Test event queued. Its delivery appears below within seconds.
flash-redelivered = Sent again as a new delivery.
