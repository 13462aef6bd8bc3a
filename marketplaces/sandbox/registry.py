"""The local stand-ins, found by discovery: each marketplace package's ``standin`` subpackage
with an ``endpoints`` module: where it answers, and its defaults for the hub, as data
(``ADDRESSES``: each address setting's path under one of the stand-in's prefixes; ``SETTINGS``:
the rest).

Plain Python, read by the settings before Django is set up: importing ``endpoints`` modules
imports nothing of Django's.
"""

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

MARKETPLACES_DIR = Path(__file__).resolve().parents[1]


def _discover() -> dict[str, ModuleType]:
    found = {}
    for package in sorted(pkgutil.iter_modules([str(MARKETPLACES_DIR)]), key=lambda p: p.name):
        if (MARKETPLACES_DIR / package.name / "standin" / "endpoints.py").is_file():
            found[package.name] = importlib.import_module(
                f"marketplaces.{package.name}.standin.endpoints"
            )
    return found


STAND_INS: dict[str, ModuleType] = _discover()


def provider_defaults(base_url: str, endpoints: ModuleType) -> dict[str, object]:
    """The provider settings that point the hub at the stand-in of this ``endpoints`` module."""
    addresses = {
        name: f"{base_url}{prefix}{path}"
        for prefix, paths in endpoints.ADDRESSES.items()
        for name, path in paths.items()
    }
    return {**addresses, **endpoints.SETTINGS}


def stand_in_template_dirs() -> list[Path]:
    """Each stand-in's own templates (``standin/templates``), for the template engine."""
    return [
        MARKETPLACES_DIR / key / "standin" / "templates"
        for key in STAND_INS
        if (MARKETPLACES_DIR / key / "standin" / "templates").is_dir()
    ]
