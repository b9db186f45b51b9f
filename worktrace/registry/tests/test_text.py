from __future__ import annotations

import unicodedata

from worktrace.text import clean, fold, match_key, plate_key


def test_fold_drops_diacritics_and_d_stroke():
    assert fold("Nguyễn Thị Hương") == "nguyen thi huong"
    assert fold("ĐẶNG  Văn Đức") == "dang van duc"


def test_clean_turns_nfd_into_nfc():
    nfd = unicodedata.normalize("NFD", "Hương")
    assert clean(f"  {nfd}\n ") == "Hương"


def test_match_key_keeps_diacritics_but_folds_abbreviations():
    assert match_key("P. Hùng Vương, TP Bắc Giang") == match_key("phường  hùng vương thành phố bắc giang")
    assert match_key("Hùng") != match_key("Hưng")


def test_plate_key():
    assert plate_key("98B-123.45") == plate_key("98b12345") == "98B12345"
