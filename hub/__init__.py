"""Sellers, their users and the hub-wide pieces every app shares (the lowest app)."""
