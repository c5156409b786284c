"""One extension per feature; each folder's `setup(bot)` adds its cog."""
