"""Who may see what: users and roles, passwords and tokens, unit scopes, and the
tamper-evident audit of every read of personal data."""
