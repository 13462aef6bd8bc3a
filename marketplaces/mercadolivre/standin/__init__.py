"""A local stand-in for Mercado Livre's authorization server and API (development, demos and
tests only)."""
