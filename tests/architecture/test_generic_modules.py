"""Nothing generic names a marketplace: a marketplace is one package under ``marketplaces/``.

Scans every Python module and template outside the marketplaces' packages, the tests, the
migrations (history, never edited) and the benchmarks for a marketplace's name.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMES = re.compile(r"magalu|mercado ?livre|shopee", re.IGNORECASE)
# Top-level folders that are not the hub's generic code (or not code at all).
SKIPPED_TOP = {"marketplaces", "tests", "benchmarks", ".venv", "var", "node_modules", ".git"}
# Files allowed to name a marketplace, each with its reason. Empty today: keep it so.
ALLOWED: dict[str, str] = {}


def _generic_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if path.suffix not in (".py", ".html") or not path.is_file():
            continue
        if relative.parts[0] in SKIPPED_TOP or relative.parts[0].endswith(".egg-info"):
            continue
        if "migrations" in relative.parts or "__pycache__" in relative.parts:
            continue
        found.append(relative)
    return found


def test_the_scan_sees_the_generic_code():
    files = {str(path) for path in _generic_files()}
    assert "integrations/views.py" in files
    assert "integrations/account_health.py" in files
    assert any(name.endswith(".html") for name in files)
    assert not any(name.startswith("marketplaces/") for name in files)


def test_no_generic_module_names_a_marketplace():
    offenders = []
    for relative in _generic_files():
        if str(relative) in ALLOWED:
            continue
        text = (ROOT / relative).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if NAMES.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert offenders == [], "a generic module names a marketplace:\n" + "\n".join(offenders)


def test_the_pattern_catches_each_spelling():
    for text in ("Magalu", "ID MAGALU", "Mercado Livre", "mercadolivre", "MercadoLivre", "Shopee"):
        assert NAMES.search(text), text
