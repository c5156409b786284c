"""Offline sandbox: a fake X API server, scenarios, and the demo."""
