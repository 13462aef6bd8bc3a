"""Reading a rendered page as a person does, and finding Django's English on it.

Django's own strings are translated by LANGUAGE_CODE=pt-br; an English one that has a pt-BR
translation showing up means a label of ours, or of a third-party app, bypassed the catalog.
Shared by the admin's and the seller's page crawls.
"""

import ast
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django

from marketplaces import PROVIDERS

DJANGO = Path(django.__file__).parent
CATALOGS = [
    DJANGO / "contrib/admin/locale/pt_BR/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/pt_BR/LC_MESSAGES/django.po",
    DJANGO / "conf/locale/pt_BR/LC_MESSAGES/django.po",
]
# Where a message has a placeholder or markup, each literal piece is looked for on its own.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]*>|\n")
# English the catalogs cannot catch: ours, django-axes' (it ships no pt-BR catalog) and
# Django's own strings that pt-BR leaves untranslated.
OWN_LEFTOVERS = [
    "access token",
    "refresh token",
    "---------",
    "- Select an option -",
    "Logout",
    "Filter by",
    "access attempt",
    "access failure",
    "access log",
    "Attempt Time",
    "User Agent",
    "IP Address",
    "Failed Logins",
    "Form Data",
    "Meta Data",
    "Locked Out",
    "Logout Time",
    "Clean up expired attempts",
]


def _po_messages(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, plural forms included; fuzzy entries are unused."""
    pairs, entry, key, fuzzy = [], {}, None, False

    def flush():
        if entry and not fuzzy:
            if "msgid_plural" in entry:
                pairs.append((entry["msgid"], entry.get("msgstr[0]", "")))
                pairs.append((entry["msgid_plural"], entry.get("msgstr[1]", "")))
            else:
                pairs.append((entry.get("msgid", ""), entry.get("msgstr", "")))

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            flush()
            entry, key, fuzzy = {}, None, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        elif not line.startswith("#"):
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return pairs


@cache
def _translated_pieces() -> tuple[frozenset[str], frozenset[str]]:
    """Django's English phrases (two words or more) and words that pt-BR translates otherwise."""
    phrases, words = set(), set()
    for path in CATALOGS:
        for msgid, msgstr in _po_messages(path):
            if not msgid or not msgstr or msgstr == msgid:
                continue
            for piece in _PLACEHOLDER.split(msgid):
                piece = piece.strip(" .,:;!?“”\"'()")
                count = len(re.findall(r"[A-Za-z]+", piece))
                if count >= 2:
                    phrases.add(piece)
                elif count == 1 and re.fullmatch(r"[A-Za-z]{3,}", piece):
                    words.add(piece)
    return frozenset(phrases), frozenset(words)


def translated_english() -> frozenset[str]:
    return _translated_pieces()[0]


def translated_words() -> frozenset[str]:
    """Single words ("History", "Save"): looked for only as a whole label, not inside text."""
    return _translated_pieces()[1]


def english_on(html: str) -> list[str]:
    # The local marketplace stand-ins (development only) name their own models "… (simulador)",
    # in the marketplaces' words ("access token"); a superuser meets them in the permissions.
    nodes = [node for node in text_nodes(html) if "(simulador)" not in node]
    text = " ".join(" ".join(nodes).split()).casefold()
    found = [
        phrase
        for phrase in translated_english() | set(OWN_LEFTOVERS)
        if phrase.casefold() in text
        and re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", text)
    ]
    found += [node for node in nodes if node in translated_words() or node in PROVIDERS]
    return sorted(found)


class _VisibleText(HTMLParser):
    """Text a person reads: text nodes and button labels; no script, style or attribute."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.chunks.append(attributes.get("value") or "")
        if attributes.get("placeholder"):
            self.chunks.append(attributes["placeholder"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


def text_nodes(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.chunks


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", " ".join(text_nodes(html)))
