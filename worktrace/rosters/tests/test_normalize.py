"""Cell normalisation: citizen IDs, phones, dates, plates, legacy TCVN3/VNI text."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from worktrace.rosters import messages as m
from worktrace.rosters import normalize as n

TODAY = dt.date(2026, 11, 23)


def test_it_restores_leading_zero():
    assert n.national_id(24301001111.0) == ("024301001111", True)
    assert n.national_id("24301001111") == ("024301001111", True)
    assert n.national_id("024 301 001 111") == ("024301001111", False)
    assert n.national_id("121234567") == ("121234567", False)


@pytest.mark.parametrize("value", ["02430100111X", "12345", "0243010011112345"])
def test_it_rejects_bad_citizen_ids(value):
    with pytest.raises(n.CellError) as exc:
        n.national_id(value)
    assert exc.value.message == m.E_BAD_NATIONAL_ID


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0912 345 678", ("0912345678", False)),
        ("+84 912.345.678", ("0912345678", False)),
        ("84912345678", ("0912345678", False)),
        (912345678.0, ("0912345678", False)),
        ("01629000333", ("0329000333", True)),
        ("0123 456 7890", ("0834567890", True)),
        ("", ("", False)),
    ],
)
def test_it_normalises_phones(value, expected):
    assert n.phone(value) == expected


def test_it_rejects_bad_phones():
    for value in ("12345", "09123456789", "gọi sau"):
        with pytest.raises(n.CellError):
            n.phone(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2001, 3, 4), (dt.date(2001, 3, 4), 2001)),
        (dt.datetime(2001, 3, 4, 0, 0), (dt.date(2001, 3, 4), 2001)),
        ("04/03/2001", (dt.date(2001, 3, 4), 2001)),
        ("4/3/01", (dt.date(2001, 3, 4), 2001)),
        ("4/3/98", (dt.date(1998, 3, 4), 1998)),
        ("4-3-2001", (dt.date(2001, 3, 4), 2001)),
        ("2001-03-04", (dt.date(2001, 3, 4), 2001)),
        ("1998", (None, 1998)),
        (1998.0, (None, 1998)),
        (36954.0, (dt.date(2001, 3, 4), 2001)),
    ],
)
def test_it_reads_dates(value, expected):
    assert n.date(value, today=TODAY, allow_year=True) == expected


def test_it_refuses_future_and_impossible_dates():
    with pytest.raises(n.CellError) as exc:
        n.date("01/01/2030", today=TODAY)
    assert exc.value.message == m.E_FUTURE_DATE
    with pytest.raises(n.CellError) as exc:
        n.date("31/02/2001", today=TODAY)
    assert exc.value.message == m.E_BAD_DATE


def test_it_accepts_plates_and_own_transport():
    assert n.plate("98B-123.45") == "98B-123.45"
    assert n.plate("Tự túc") == ""
    with pytest.raises(n.CellError):
        n.plate("xe công ty")


@pytest.mark.parametrize(
    ("legacy", "unicode", "encoding"),
    [
        ("NguyÔn ThÞ H\u00ad\u00acng", "Nguyễn Thị Hương", "tcvn3"),
        ("TrÇn V¨n B×nh", "Trần Văn Bình", "tcvn3"),
        ("Lª V¨n Quý", "Lê Văn Quý", "tcvn3"),
        ("Nguyeãn Thò Höông", "Nguyễn Thị Hương", "vni"),
        ("Phaïm Thò Dieäu", "Phạm Thị Diệu", "vni"),
    ],
)
def test_it_converts_legacy_text(legacy, unicode, encoding):
    assert n.legacy_fix(legacy) == (unicode, encoding)


@pytest.mark.parametrize("name", ["Nguyễn Thị Hương", "Khuê Xuân Yên", "Hoàng Thị Thuý", "John Smith", "Lê Minh Châu"])
def test_it_leaves_unicode_names_alone(name):
    assert n.legacy_fix(name) == (name, None)


def test_it_composes_nfd_text():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị   Hương ")
    assert n.text(decomposed) == "Nguyễn Thị Hương"


def test_it_warns_when_a_citizen_id_contradicts_the_row():
    assert not n.national_id_contradicts("024301001111", 2001, "F")
    assert n.national_id_contradicts("024301001111", 2001, "M")
    assert n.national_id_contradicts("024301001111", 1999, "F")
    assert not n.national_id_contradicts("121234567", 1960, "M")
