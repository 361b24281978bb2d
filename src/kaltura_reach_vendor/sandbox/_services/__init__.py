"""Handlers, one module per service group (imported by ``_app`` to register them)."""
