"""Cell values → clean values. Each parser returns the value, or raises CellError with a message constant.

Calamine hands back whole numbers as floats (1.0), dates as ``date``/``datetime``, and an ID typed as a number
without its leading zeros: these are the cases handled here, along with legacy TCVN3/VNI text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from django.utils.functional import Promise

from worktrace.registry.models import Sex, TestOutcome
from worktrace.rosters import messages as m
from worktrace.spreadsheets import FORMULA_START
from worktrace.text import clean, digits, fold, plate_key


class CellError(Exception):
    def __init__(self, message: Promise | str, **params: object) -> None:
        super().__init__(str(message))
        self.message = message
        self.params = params


def text(value: object) -> str:
    """Any cell as clean text: NFC, control characters and bidi controls removed, spaces collapsed; 12.0 → '12'.

    The one rule every reader's text goes through (text.clean), so nothing unsafe is stored from an upload.
    """
    if type(value) is str:
        # Most cells are already clean: checking is cheaper than rebuilding them (this runs for every cell).
        if not value:
            return ""
        # isprintable: no control character, bidi control or white space other than " " (text.clean's rule).
        if (
            value[0] != "'"
            and value[0] != " "
            and value[-1] != " "
            and value.isprintable()
            and "  " not in value
            and unicodedata.is_normalized("NFC", value)
        ):
            return value
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_START):
        value = value[1:]  # our own exports keep formula-like text behind an apostrophe (spreadsheets.safe_cell)
    return clean(value)


# -- legacy Vietnamese encodings --------------------------------------------------------------------------
# Letters a Vietnamese Unicode text is made of; a name with anything else in it is a candidate for TCVN3/VNI.
VIETNAMESE = set("aăâbcdđeêghiklmnoôơpqrstuưvxyfjwzáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
VIETNAMESE |= {c.upper() for c in VIETNAMESE}
VIETNAMESE |= set("0123456789 .,-/()'&:;\"#+_–")
# VNI writes a vowel then a tone mark as a separate Latin-1 letter: "aø" for à, "eã" for ễ.
# Unicode Vietnamese has uâ, uê, iê, yê but never aâ, eâ, oâ or aê, nor a vowel followed by ù/û/ø/ï.
VNI_PAIR = re.compile(r"[aeoAEO][âêÂÊ]|[aeiouyAEIOUYôöÔÖ][øùûïØÙÛÏ]")


@lru_cache(maxsize=4096)
def legacy_fix(value: str) -> tuple[str, str | None]:
    """(Unicode text, encoding converted from) — or (value, None) when the text is already Unicode."""
    if value.isascii() or (set(value) <= VIETNAMESE and not VNI_PAIR.search(value)):
        return value, None
    import viparse

    best: tuple[int, str, str | None] = (_foreign(value), value, None)
    for encoding in ("tcvn3", "vni"):
        try:
            converted = clean(viparse.fix(value, encoding=encoding))
        except Exception:  # a legacy table that cannot map this text is simply not the answer
            continue
        score = _foreign(converted)
        if score < best[0] and fold(converted).isascii():
            best = (score, converted, encoding)
    return best[1], best[2]


_TONES = str.maketrans(
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ",
    "aaaaaăăăăăâââââeeeeeêêêêêiiiiiooooooooooơơơơơuuuuuưưưưưyyyyy",
)
_VOWEL_RUN = re.compile(r"[aăâeêioôơuưy]+")
_NUCLEI = set(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uy ưa ưi ươ ưu yê "
    "iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu".split()
)


def _foreign(value: str) -> int:
    """How implausible as Vietnamese: characters outside the alphabet, VNI pairs, impossible vowel runs."""
    score = sum(1 for c in value if c not in VIETNAMESE) + len(VNI_PAIR.findall(value))
    for word in value.lower().translate(_TONES).split():
        if word.startswith(("qu", "gi")) and len(word) > 2:
            word = word[2:]
        score += sum(1 for run in _VOWEL_RUN.findall(word) if run not in _NUCLEI)
    return score


# -- identifiers ------------------------------------------------------------------------------------------
def national_id(value: object) -> tuple[str, bool]:
    """A 12-digit CCCD or 9-digit CMND; (id, restored) where restored says a lost leading zero was put back."""
    if isinstance(value, float) and value.is_integer():
        raw = str(int(value))
        numeric = True
    else:
        raw = text(value)
        numeric = False
    if not raw:
        raise CellError(m.E_REQUIRED)
    if not re.fullmatch(r"[\d .\-]+", raw):
        raise CellError(m.E_BAD_NATIONAL_ID)
    number = digits(raw)
    if len(number) in (12, 9):
        return number, False
    # A numeric cell drops the zeros a CCCD starts with (province codes 001–096): 11 or 10 digits left.
    if numeric or raw.isdigit():
        if len(number) in (10, 11):
            return number.zfill(12), True
        if len(number) == 8:
            return number.zfill(9), True
    raise CellError(m.E_BAD_NATIONAL_ID)


# 11-digit mobile prefixes renumbered in 2018–2019 (Bộ TT&TT): old → new.
OLD_MOBILE_PREFIXES = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037", "0168": "038",
    "0169": "039", "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip


def phone(value: object) -> tuple[str, bool]:
    """(10-digit number from 0, converted) — converted when an old 11-digit mobile was renumbered."""
    raw = text(value)
    if not raw:
        return "", False
    if not re.fullmatch(r"[\d +.\-()]+", raw):
        raise CellError(m.E_BAD_PHONE)
    number = digits(raw)
    if raw.lstrip().startswith("+") or (number.startswith("84") and len(number) in (11, 12)):
        number = "0" + number[2:]
    elif not number.startswith("0") and len(number) in (9, 10):
        number = "0" + number  # a numeric cell lost the leading zero
    if len(number) == 11 and number[:4] in OLD_MOBILE_PREFIXES:
        return OLD_MOBILE_PREFIXES[number[:4]] + number[4:], True
    if len(number) == 11 and number.startswith("02"):
        return number, False  # landlines have 11 digits since 2017
    if len(number) != 10 or not number.startswith("0"):
        raise CellError(m.E_BAD_PHONE)
    return number, False


# -- dates ------------------------------------------------------------------------------------------------
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@lru_cache(maxsize=65536)
def date(value: object, *, today: dt.date, allow_year: bool = False) -> tuple[dt.date | None, int | None]:
    """(date, year): an Excel date cell, dd/mm/yyyy, d/m/yy, d-m-yyyy, ISO, or (birth dates) a bare year."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        day: dt.date = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if allow_year and 1900 <= number <= today.year:
            return None, _check_year(number, today)
        if 1 <= number <= 80000:  # a date serial that lost its format
            day = _EXCEL_EPOCH + dt.timedelta(days=number)
        else:
            raise CellError(m.E_BAD_DATE)
    else:
        raw = text(value)
        if allow_year and re.fullmatch(r"\d{4}", raw):
            return None, _check_year(int(raw), today)
        day = _parse_text_date(raw, today)
    if day > today:
        raise CellError(m.E_FUTURE_DATE)
    if day.year < 1900:
        raise CellError(m.E_TOO_OLD)
    return day, day.year


def _check_year(year: int, today: dt.date) -> int:
    if year > today.year:
        raise CellError(m.E_FUTURE_DATE)
    if year < 1900:
        raise CellError(m.E_TOO_OLD)
    return year


def _parse_text_date(raw: str, today: dt.date) -> dt.date:
    match = _DMY.fullmatch(raw)
    try:
        if match:
            d, mo, y = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                y += 2000 if 2000 + y <= today.year else 1900
            return dt.date(y, mo, d)
        match = _ISO.fullmatch(raw)
        if match:
            return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        pass
    raise CellError(m.E_BAD_DATE)


@lru_cache(maxsize=4096)
def sex(value: object) -> str:
    key = fold(text(value))
    if not key:
        return ""
    if key in ("nam", "m", "male", "trai"):
        return Sex.MALE
    if key in ("nu", "f", "female", "gai"):
        return Sex.FEMALE
    raise CellError(m.E_BAD_SEX)


@lru_cache(maxsize=4096)
def doses(value: object) -> int:
    raw = text(value)
    if not raw:
        return 0
    if not raw.isdigit() or int(raw) > 4:
        raise CellError(m.E_BAD_DOSES)
    return int(raw)


@lru_cache(maxsize=4096)
def test_result(value: object) -> str:
    key = fold(text(value))
    if not key:
        return ""
    if key in ("am tinh", "am", "negative", "-"):
        return TestOutcome.NEGATIVE.value
    if key in ("duong tinh", "duong", "positive", "+"):
        return TestOutcome.POSITIVE.value
    raise CellError(m.E_BAD_RESULT)


@lru_cache(maxsize=4096)
def plate(value: object) -> str:
    """'' for none or own transport; otherwise the plate as written (its identity is plate_key)."""
    raw = text(value)
    if not raw or fold(raw) in ("tu tuc", "khong", "-"):
        return ""
    key = plate_key(raw)
    if not re.fullmatch(r"\d{2}[A-Z]{1,2}\d{4,6}", key):
        raise CellError(m.E_BAD_PLATE)
    return raw


def national_id_contradicts(number: str, birth_year: int | None, sex_code: str) -> bool:
    """A CCCD's 4th digit is century and sex, its 5th–6th the birth year's last two digits (DOMAIN.md)."""
    if len(number) != 12 or birth_year is None:
        return False
    century_sex = int(number[3])
    if century_sex > 3:
        return False
    century = 1900 if century_sex < 2 else 2000
    if century + int(number[4:6]) != birth_year:
        return True
    return bool(sex_code) and (century_sex % 2 == 1) != (sex_code == Sex.FEMALE)
