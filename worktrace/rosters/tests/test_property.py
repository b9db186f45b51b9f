"""Property: any generated workbook is imported or refused with errors, never a crash; a second import is a no-op."""

from __future__ import annotations

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worktrace.registry.models import Employment, Membership, Person
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes

names = st.sampled_from(["Nguyễn Thị Ánh", "Trần Văn Bình", "Lê Minh Châu", "TrÇn V¨n B×nh", "Đỗ Em", "", "  x  "])
ids = st.one_of(
    st.sampled_from(["024301001111", "024099002222", "027198003333", "24095007777", "12345", ""]),
    st.integers(min_value=10**8, max_value=10**12).map(str),
    st.floats(min_value=1e10, max_value=1e11).map(lambda f: float(int(f))),
)
dates = st.one_of(
    st.sampled_from(["04/03/2001", "4/3/01", "2001-03-04", "1999", "31/02/2001", "01/01/2099", "", "abc"]),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)
rows = st.fixed_dictionaries(
    {
        "worker_code": st.sampled_from(["A001", "A002", "A003", "B9", ""]),
        "full_name": names,
        "birth": dates,
        "national_id": ids,
        "workshop": st.sampled_from(["Phân xưởng May", "PX Cắt", ""]),
    },
    optional={
        "team": st.sampled_from(["Tổ 1", "Tổ 2", "tổ  1"]),
        "phone": st.sampled_from(["0912000111", "+84 912 000 222", "01629000333", "12"]),
        "sex": st.sampled_from(["Nam", "Nữ", "?"]),
        "lodging": st.sampled_from(["Nhà trọ Bà Tư", "nhà trọ bà tư", "Nhà trọ Bà Tu"]),
        "room": st.sampled_from(["Phòng 3", "P3"]),
        "bus": st.sampled_from(["98B-123.45", "Tự túc", "99Z-000.00"]),
        "doses": st.integers(min_value=-1, max_value=6),
    },
)


def snapshot():
    return (
        sorted(Employment.objects.values_list("id", "end_date", "shift")),
        sorted(Membership.objects.values_list("id", "group_id", "end")),
        Person.objects.count(),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workers=st.lists(rows, max_size=6), title_rows=st.integers(min_value=0, max_value=3))
def test_it_imports_or_refuses_and_reimport_is_a_noop(world, workers, title_rows):
    data = roster_bytes(
        workers,
        company={"name": "Công ty May An Phát", "tax_code": "2400000101"},
        buses=[{"plate": "98B-123.45"}],
        title_rows=title_rows,
    )
    with transaction.atomic():
        before = snapshot()
        first = roster_import(data=data, filename="p.xlsx")
        if not first.applied:
            assert first.errors
            assert snapshot() == before
        else:
            assert first.invalid == len({e["row"] for e in first.errors})
            after = snapshot()
            second = roster_import(data=data, filename="p.xlsx")
            assert second.applied
            assert (second.created, second.ended, second.moved) == (0, 0, 0)
            assert snapshot() == after
        transaction.set_rollback(True)
