"""A Brazilian account document as the hub shows it: masked, enough to tell accounts apart.

A seller with several companies tells them apart by the end of the CNPJ (ID Magalu and Mercado
Livre both show documents that way). Where the marketplace gives the whole number, the hub keeps
its characters too, only for support to find the account by it; screens show the mask.
"""

from hub.cnpj import is_valid_cnpj, normalize_cnpj

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


def document_number(raw: str, document_type: str = "") -> str:
    """The whole CNPJ (14 characters, the alphanumeric ones included) or CPF (11 digits) without
    punctuation; "" for a masked value or anything else."""
    raw = raw.strip()
    if not raw or any(mark in raw for mark in _MASK_CHARACTERS):
        return ""
    document_type = document_type.upper()
    if document_type in ("", "CNPJ") and is_valid_cnpj(raw):
        return normalize_cnpj(raw)
    digits = normalize_cnpj(raw)
    if document_type in ("", "CPF") and len(digits) == 11 and digits.isascii() and digits.isdigit():
        return digits
    return ""
