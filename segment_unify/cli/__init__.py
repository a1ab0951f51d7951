"""``segment-unify``: tools over a live workspace (``export``, ``diff``), read-only."""
