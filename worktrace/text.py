"""Text normalisation shared by the registry, search and imports.

Two different foldings, on purpose:
- ``fold`` drops diacritics and case, for search ("nguyen thi huong" finds "Nguyễn Thị Hương").
- ``match_key`` keeps diacritics (Hùng and Hưng are different names) but folds case, Unicode form, spaces,
  punctuation and common abbreviations, for deciding that two addresses or two team names are the same.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Never stored, never written to a workbook: C0 and C1 control characters other than tab, line feed and carriage
# return (NUL, BEL, ...: openpyxl refuses to write most of them, so one stored NUL broke every export), and the
# bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a name or a number display
# as something else. Tab and line breaks are white space, which clean() collapses to one space.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_ABBREVIATIONS = {
    "p": "phường",
    "ph": "phường",
    "x": "xã",
    "tt": "thị trấn",
    "q": "quận",
    "h": "huyện",
    "tp": "thành phố",
    "t": "tỉnh",
    "kcn": "khu công nghiệp",
    "ccn": "cụm công nghiệp",
    "đ": "đường",
    "ng": "ngõ",
    "px": "phân xưởng",
    "sn": "số nhà",
}


def clean(text: object) -> str:
    """NFC, control characters and bidi controls removed, trimmed, inner runs of white space made one space."""
    if text is None:
        return ""
    return _SPACES.sub(" ", CONTROL_CHARS.sub("", unicodedata.normalize("NFC", str(text)))).strip()


def printable(text: str) -> str:
    """``text`` without the CONTROL_CHARS (tab and line breaks kept): for text already stored."""
    return text if text.isprintable() else CONTROL_CHARS.sub("", text)


def fold(text: str | None) -> str:
    """Lower case without diacritics; đ becomes d."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def match_key(text: str | None) -> str:
    """Identity key for names and addresses: case, form, punctuation, spaces and abbreviations folded."""
    words = _PUNCT.sub(" ", clean(text).lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def plate_key(text: str | None) -> str:
    """98B-123.45 and 98b12345 are the same bus."""
    return re.sub(r"[^0-9A-Z]", "", fold(text).upper())


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", str(text or ""))
