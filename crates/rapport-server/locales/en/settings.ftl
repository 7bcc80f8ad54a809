## Administration: organization settings, branding and the audit log.
