"""One order reader per marketplace, built over that marketplace's provider."""

from integrations.providers import get_provider

from .base import OrderPage, OrderReader, OrderRecord
from .magalu import MagaluOrderReader
from .mercadolivre import MercadoLivreOrderReader

__all__ = ["READERS", "OrderPage", "OrderReader", "OrderRecord", "reader_for"]

READERS: dict[str, type[OrderReader]] = {
    "magalu": MagaluOrderReader,
    "mercadolivre": MercadoLivreOrderReader,
}


def reader_for(marketplace: str) -> OrderReader | None:
    """The marketplace's reader over its configured provider; None when it has none."""
    reader_class = READERS.get(marketplace)
    return reader_class(get_provider(marketplace)) if reader_class else None
