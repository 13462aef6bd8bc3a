import pytest

from marketplaces.base.documents import masked_document


@pytest.mark.parametrize(
    ("raw", "document_type", "shown"),
    [
        ("12.345.678/0001-81", "", "CNPJ ••.•••.•••/0001-81"),
        ("12345678000181", "CNPJ", "CNPJ ••.•••.•••/0001-81"),
        ("123.456.789-09", "", "CPF •••.•••.•••-09"),
        ("12345678909", "cpf", "CPF •••.•••.•••-09"),
        ("CNPJ ••.•••.•••/0001-42", "", "CNPJ ••.•••.•••/0001-42"),  # already masked: as given
        ("***.456.789-**", "", "***.456.789-**"),
        ("12345678909", "CNPJ", ""),  # the type and the length disagree: nothing guessed
        ("20-12345678-3", "CUIT", ""),  # another country's document
        ("١٢٣٤٥٦٧٨٩٠١", "", ""),  # non-ASCII digits are not a CPF
        ("", "", ""),
    ],
)
def test_documents_are_shown_masked_or_not_at_all(raw, document_type, shown):
    assert masked_document(raw, document_type) == shown
