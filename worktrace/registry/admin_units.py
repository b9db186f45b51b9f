"""Administrative units after the 1/7/2025 reform, and the old names that 2021-era data still uses.

The current list (34 provinces, 3,321 wards) comes from the maintained ``vietnam-provinces`` package. That
package has no old-to-new mapping, so the 63 pre-2025 provinces are kept here: a small, factual table
(Nghị quyết 202/2025/QH15). The old codes are also the first three digits of a citizen ID (CCCD).
"""

from __future__ import annotations

from functools import cache

from vietnam_provinces import Province as _VNProvince
from vietnam_provinces import Ward as _VNWard

from worktrace.text import fold

# old code: (old name, code of the province it is part of since 1/7/2025)
OLD_PROVINCES: dict[int, tuple[str, int]] = {
    1: ("Hà Nội", 1),
    2: ("Hà Giang", 8),
    4: ("Cao Bằng", 4),
    6: ("Bắc Kạn", 19),
    8: ("Tuyên Quang", 8),
    10: ("Lào Cai", 15),
    11: ("Điện Biên", 11),
    12: ("Lai Châu", 12),
    14: ("Sơn La", 14),
    15: ("Yên Bái", 15),
    17: ("Hòa Bình", 25),
    19: ("Thái Nguyên", 19),
    20: ("Lạng Sơn", 20),
    22: ("Quảng Ninh", 22),
    24: ("Bắc Giang", 24),
    25: ("Phú Thọ", 25),
    26: ("Vĩnh Phúc", 25),
    27: ("Bắc Ninh", 24),
    30: ("Hải Dương", 31),
    31: ("Hải Phòng", 31),
    33: ("Hưng Yên", 33),
    34: ("Thái Bình", 33),
    35: ("Hà Nam", 37),
    36: ("Nam Định", 37),
    37: ("Ninh Bình", 37),
    38: ("Thanh Hóa", 38),
    40: ("Nghệ An", 40),
    42: ("Hà Tĩnh", 42),
    44: ("Quảng Bình", 44),
    45: ("Quảng Trị", 44),
    46: ("Thừa Thiên Huế", 46),
    48: ("Đà Nẵng", 48),
    49: ("Quảng Nam", 48),
    51: ("Quảng Ngãi", 51),
    52: ("Bình Định", 52),
    54: ("Phú Yên", 66),
    56: ("Khánh Hòa", 56),
    58: ("Ninh Thuận", 56),
    60: ("Bình Thuận", 68),
    62: ("Kon Tum", 51),
    64: ("Gia Lai", 52),
    66: ("Đắk Lắk", 66),
    67: ("Đắk Nông", 68),
    68: ("Lâm Đồng", 68),
    70: ("Bình Phước", 75),
    72: ("Tây Ninh", 80),
    74: ("Bình Dương", 79),
    75: ("Đồng Nai", 75),
    77: ("Bà Rịa - Vũng Tàu", 79),
    79: ("Hồ Chí Minh", 79),
    80: ("Long An", 80),
    82: ("Tiền Giang", 82),
    83: ("Bến Tre", 86),
    84: ("Trà Vinh", 86),
    86: ("Vĩnh Long", 86),
    87: ("Đồng Tháp", 82),
    89: ("An Giang", 91),
    91: ("Kiên Giang", 91),
    92: ("Cần Thơ", 92),
    93: ("Hậu Giang", 92),
    94: ("Sóc Trăng", 92),
    95: ("Bạc Liêu", 96),
    96: ("Cà Mau", 96),
}

_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ", "t. ")
_ALIASES = {"tphcm": 79, "hcm": 79, "sai gon": 79, "hue": 46, "ba ria vung tau": 79, "brvt": 79}


def iter_provinces() -> list[tuple[int, str, str]]:
    """(code, name, codename) of the 34 current provinces."""
    return [(int(p.code), p.name, p.codename) for p in _VNProvince.iter_all()]


def iter_wards() -> list[tuple[int, str, int]]:
    """(code, name, province code) of the 3,321 current wards and communes."""
    return [(int(w.code), w.name, int(w.province_code)) for w in _VNWard.iter_all()]


def _key(name: str) -> str:
    key = fold(name).replace("-", " ").replace("–", " ")
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return " ".join(key.replace(".", " ").split())


@cache
def _province_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for old_code, (old_name, new_code) in OLD_PROVINCES.items():
        index[_key(old_name)] = new_code
        index[f"{old_code:02d}"] = new_code
    for code, name, _codename in iter_provinces():
        index[_key(name)] = code
    index.update(_ALIASES)
    return index


def province_code_for(name: str | None) -> int | None:
    """The current province code for a current or pre-2025 name ("Bắc Giang" → 24, Bắc Ninh)."""
    if not name:
        return None
    return _province_index().get(_key(name))


def province_code_for_old_code(old_code: int) -> int | None:
    """The current province for a pre-2025 code, such as the first three digits of a CCCD."""
    entry = OLD_PROVINCES.get(old_code)
    return entry[1] if entry else None
