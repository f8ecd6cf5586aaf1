"""Views: typed functions, each declaring its action with ``@requires``."""
