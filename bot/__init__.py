"""Discord glue: the Bot subclass, one extension per feature, the error handler."""
