"""The API's operations, one module per feature; web/api/v1.py mounts them under /api/v1."""
