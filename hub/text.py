"""Text from outside (a marketplace, a query string) made safe to store and show."""

import unicodedata


def clean_text(value: str, limit: int) -> str:
    """Printable characters only (no NUL, controls or lone surrogates: PostgreSQL refuses NUL and
    UTF-8 cannot hold a surrogate), whitespace collapsed, cut to ``limit``."""
    if not isinstance(value, str):
        return ""
    kept = (ch if ch.isprintable() and unicodedata.category(ch) != "Cs" else " " for ch in value)
    return " ".join("".join(kept).split())[:limit]
