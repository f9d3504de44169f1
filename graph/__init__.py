"""DutyGraph's domain: schema, stores, queries and analytics. Knows nothing of HTTP or files."""
