"""Vietnamese text helpers shared by importers and search (pure, no Django: the plan parser imports it too).

``strip_diacritics`` is the one diacritic fold: ``fold`` here (search keys), the agency matcher's token fold
(``xanh.agencies.matching.fold``) and the parser's length-keeping ``fold_text`` are built on it.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_DASH = re.compile(r"\s*[-‐‑‒–—―]\s*")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ/Đ become d/D (they are letters, not marks, in Unicode)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Case-, diacritic- and dash-insensitive key: 'Bà Rịa – Vũng  Tàu' and 'ba ria-vung tau' fold alike."""
    folded = strip_diacritics(unicodedata.normalize("NFC", text)).casefold()
    return _SPACE.sub(" ", _DASH.sub("-", folded)).strip()


def slugify_vi(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
