"""Alembic revisions of the store, applied in order by ``Store.open``."""
