"""Session-state layer: each page's typed state, initialised in one place (``session``), kept
under namespaced keys (``store``)."""
