"""The local stand-ins, one per marketplace: where each answers, and its defaults for the hub.

Plain Python, read by ``hub/settings.py`` before Django is set up. A new marketplace's stand-in
is a subpackage with an ``endpoints`` module and one line here.
"""

from integrations.sandbox.magalu import endpoints as magalu
from integrations.sandbox.mercadolivre import endpoints as mercadolivre

STAND_INS = {
    "magalu": magalu,
    "mercadolivre": mercadolivre,
}


def stand_in_defaults(base_url: str) -> dict[str, dict[str, object]]:
    """Per marketplace key, the provider settings that point the hub at its stand-in."""
    return {key: module.provider_defaults(base_url) for key, module in STAND_INS.items()}
