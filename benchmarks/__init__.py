"""``make bench``: Réplique's performance targets, measured (``python -m benchmarks.run``)."""
