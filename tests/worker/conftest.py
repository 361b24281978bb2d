"""The worker tests' fixtures: a real PostgreSQL server (``tests/pg.py``) for its journal."""

from __future__ import annotations

from pg import postgres_server, postgres_url

__all__ = ["postgres_server", "postgres_url"]
