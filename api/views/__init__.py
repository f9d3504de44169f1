"""Graph views: style hints derived from the schema and offline vis-network rendering."""
