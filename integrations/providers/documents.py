"""A Brazilian account document as the hub shows it: masked, enough to tell accounts apart.

A seller with several companies tells them apart by the end of the CNPJ (ID Magalu and Mercado
Livre both show documents that way); the hub never needs, and never stores, the whole number.
"""

_MASK_CHARACTERS = ("•", "*")


def masked_document(raw: str, document_type: str = "") -> str:
    """``CNPJ ••.•••.•••/0001-81`` or ``CPF •••.•••.•••-09``; an already masked value as given;
    "" for anything else (a number of another country or shape is not guessed at)."""
    raw = raw.strip()
    if any(mark in raw for mark in _MASK_CHARACTERS):
        return raw
    digits = "".join(ch for ch in raw if ch.isascii() and ch.isdigit())
    document_type = document_type.upper()
    if len(digits) == 14 and document_type in ("", "CNPJ"):
        return f"CNPJ ••.•••.•••/{digits[8:12]}-{digits[12:]}"
    if len(digits) == 11 and document_type in ("", "CPF"):
        return f"CPF •••.•••.•••-{digits[9:]}"
    return ""
