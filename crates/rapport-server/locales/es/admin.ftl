## Administration: accounts and invitations, API tokens, webhooks, notifications.
