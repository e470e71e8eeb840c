"""Alembic migrations of the store, shipped in the package so an installed Réplique migrates."""
