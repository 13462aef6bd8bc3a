"""The orders app's business actions: import, upsert, silence."""
