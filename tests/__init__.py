"""The template's own tests (pytest-cookies)."""
