"""The web admin panel and REST API (FastAPI): no Redis calls and no arithmetic, only the core's functions."""
