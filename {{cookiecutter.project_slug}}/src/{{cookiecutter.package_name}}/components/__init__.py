"""Reusable widgets and fragments that the page scripts compose."""
