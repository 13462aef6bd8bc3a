"""A local stand-in for ID Magalu and the Magalu seller API (development, demos and tests only)."""
