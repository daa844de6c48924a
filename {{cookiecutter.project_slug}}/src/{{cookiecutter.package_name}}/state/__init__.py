"""Session-state layer: typed per-page state (``pages``), initialised in one place."""
