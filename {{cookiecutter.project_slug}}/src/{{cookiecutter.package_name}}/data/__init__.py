"""Data layer: pure queries over the flights database, and their cached wrappers."""
