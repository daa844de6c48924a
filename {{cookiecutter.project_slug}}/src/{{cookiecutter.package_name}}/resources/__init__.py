"""Resource layer: objects built once per process and shared by every session."""
