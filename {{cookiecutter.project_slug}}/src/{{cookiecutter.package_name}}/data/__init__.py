"""Data layer: the schema, pure queries over it, and their cached wrappers."""
