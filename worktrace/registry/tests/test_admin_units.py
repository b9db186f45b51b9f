from __future__ import annotations

import pytest

from worktrace.registry.admin_units import OLD_PROVINCES, province_code_for, province_code_for_old_code
from worktrace.registry.models import Province, Ward


@pytest.mark.django_db
def test_the_2025_units_are_loaded():
    assert Province.objects.count() == 34
    assert Ward.objects.count() == 3321


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bắc Giang", 24),
        ("tỉnh Bắc Ninh", 24),
        ("Bình Dương", 79),
        ("TP. Hồ Chí Minh", 79),
        ("Long An", 80),
        ("Tây Ninh", 80),
        ("thua thien hue", 46),
        ("Hà Giang", 8),
        ("Bà Rịa - Vũng Tàu", 79),
        ("Thành phố Hà Nội", 1),
    ],
)
def test_old_and_new_names_resolve(name, code):
    assert province_code_for(name) == code


def test_old_table_is_complete():
    assert len(OLD_PROVINCES) == 63
    assert len({new for _, new in OLD_PROVINCES.values()}) == 34
    assert province_code_for_old_code(74) == 79
    assert province_code_for("Atlantis") is None
