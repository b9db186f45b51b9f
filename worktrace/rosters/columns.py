"""The workbook contract (../shared/design/TEMPLATE.md): sheet names, columns, and how headers are matched;
and the database columns a roster import (apply.py) and the demo generator write in bulk.

Headers match without regard to case, diacritics, spaces, line breaks, punctuation or the required-marker
``*``. Labels are the contract's and must never be renamed; aliases are what HR software is seen to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from worktrace.registry.models import DECLARED_FIELDS, GroupKind
from worktrace.text import fold

SHEET_COMPANY = "Doanh nghiệp"
SHEET_WORKERS = "Người lao động"
SHEET_BUSES = "Xe đưa đón"
SHEET_CORESIDENTS = "Người ở cùng"
SHEET_GUIDE = "Hướng dẫn"
SHEET_LISTS = "Danh mục"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 16

    @property
    def header(self) -> str:
        return f"{self.label} *" if self.required else self.label


WORKER_COLUMNS: tuple[Column, ...] = (
    Column("row_no", "STT", aliases=("so thu tu", "tt"), width=6),
    Column("worker_code", "Mã công nhân", True, ("ma cn", "ma nhan vien", "ma nv", "ma so cong nhan"), 14),
    Column("full_name", "Họ và tên", True, ("ho ten", "ho va ten nguoi lao dong", "ten"), 26),
    Column("birth", "Ngày sinh", True, ("ngay thang nam sinh", "nam sinh", "sinh ngay"), 12),
    Column("sex", "Giới tính", aliases=("gioi",), width=9),
    Column("national_id", "Số CCCD/CMND", True, ("cccd", "cmnd", "so cccd", "so cmnd", "cccd cmnd", "can cuoc"), 15),
    Column("phone", "Số điện thoại", aliases=("dien thoai", "sdt", "so dt"), width=13),
    Column("home_province", "Tỉnh/TP thường trú", aliases=("tinh thuong tru", "que quan", "tinh"), width=16),
    Column("permanent_address", "Địa chỉ thường trú", aliases=("dia chi", "thuong tru"), width=30),
    Column("lodging_code", "Mã nhà trọ", width=11),
    Column("lodging", "Nơi ở hiện tại", aliases=("noi o", "cho o hien tai", "nha tro"), width=30),
    Column("room", "Phòng", aliases=("phong o", "so phong"), width=8),
    Column("workshop", "Phân xưởng/Bộ phận", True, ("phan xuong", "bo phan", "xuong"), 20),
    Column("team", "Tổ/Nhóm", aliases=("to", "nhom", "to nhom san xuat"), width=12),
    Column("shift", "Ca làm việc", aliases=("ca", "ca lam"), width=11),
    Column("bus", "Xe đưa đón", aliases=("bien so xe dua don", "xe", "bien so xe"), width=13),
    Column("doses", "Số mũi vắc xin", aliases=("so mui", "so mui tiem", "mui vac xin"), width=8),
    Column("last_dose_on", "Ngày tiêm mũi gần nhất", aliases=("ngay tiem", "ngay tiem gan nhat"), width=12),
    Column("vaccine_name", "Loại vắc xin", aliases=("vac xin", "loai vaccine", "ten vac xin"), width=12),
    Column("last_test_on", "Ngày xét nghiệm gần nhất", aliases=("ngay xet nghiem", "ngay xn"), width=12),
    Column("test_result", "Kết quả xét nghiệm", aliases=("ket qua", "ket qua xn"), width=12),
    Column("start_date", "Ngày vào làm", aliases=("ngay bat dau lam viec", "ngay vao cong ty"), width=12),
)

BUS_COLUMNS: tuple[Column, ...] = (
    Column("plate", "Biển số xe", True, ("bien so", "bks"), 14),
    Column("driver_name", "Tên lái xe", aliases=("lai xe", "ho ten lai xe"), width=22),
    Column("driver_phone", "Số điện thoại lái xe", aliases=("sdt lai xe",), width=14),
    Column("driver_id", "Số CCCD lái xe", aliases=("cccd lai xe",), width=15),
    Column("route", "Tuyến đường", aliases=("tuyen",), width=30),
    Column("seats", "Số chỗ", width=8),
)

CORESIDENT_COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", True, ("ho ten",), 26),
    Column("national_id", "Số CCCD/CMND", aliases=("cccd", "cmnd", "so cccd"), width=15),
    Column("phone", "Số điện thoại", aliases=("sdt", "dien thoai"), width=13),
    Column("lodging_code", "Mã nhà trọ", width=11),
    Column("lodging", "Nơi ở hiện tại", aliases=("noi o", "nha tro"), width=30),
    Column("room", "Phòng", width=8),
    Column("note", "Quan hệ / Ghi chú", aliases=("quan he", "ghi chu"), width=24),
)

COMPANY_FIELDS: tuple[Column, ...] = (
    Column("name", "Tên doanh nghiệp", True, ("ten cong ty",)),
    Column("tax_code", "Mã số thuế", True, ("mst",)),
    Column("zone", "Khu/Cụm công nghiệp", aliases=("khu cong nghiep", "kcn", "cum cong nghiep")),
    Column("address", "Địa chỉ"),
    Column("contact_name", "Người đầu mối", aliases=("nguoi lien he",)),
    Column("contact_phone", "Số điện thoại đầu mối", aliases=("sdt dau moi",)),
    Column("contact_email", "Email đầu mối", aliases=("email",)),
)

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def header_key(text: object) -> str:
    """'Số CCCD/\\nCMND *' → 'so cccd cmnd'."""
    return " ".join(_NOT_WORD.sub(" ", fold(str(text or "")).replace("*", " ")).split())


def _index(columns: tuple[Column, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for column in columns:
        for name in (column.label, *column.aliases):
            index.setdefault(header_key(name), column.key)
    return index


WORKER_INDEX = _index(WORKER_COLUMNS)
BUS_INDEX = _index(BUS_COLUMNS)
CORESIDENT_INDEX = _index(CORESIDENT_COLUMNS)
COMPANY_INDEX = _index(COMPANY_FIELDS)


def sheet_key(name: str) -> str:
    return header_key(name)


# The places a worker row declares, each a slot compared on re-upload, and the kinds of group that fill them.
SLOTS = ("workshop", "team", "lodging", "vehicle")
SLOT_OF_KIND: dict[str, str] = {
    GroupKind.WORKSHOP: "workshop",
    GroupKind.TEAM: "team",
    GroupKind.ROOM: "lodging",
    GroupKind.BOARDING_HOUSE: "lodging",
    GroupKind.VEHICLE: "vehicle",
}

# -- database columns written in bulk (bulk.insert_rows), by the roster import and the demo generator ------
PERSON_FIELDS: tuple[str, ...] = (
    "id",
    "national_id",
    "full_name",
    "name_folded",
    "birth_date",
    "birth_year",
    *DECLARED_FIELDS,  # what a company declares; new people are written with them in this order
    "created_at",
    "updated_at",
)
GROUP_FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "name",
    "key",
    "parent_id",
    "company_id",
    "code",
    "address",
    "owner_name",
    "owner_phone",
    "details",
)
MEMBERSHIP_FIELDS: tuple[str, ...] = (
    "person_id",
    "group_id",
    "role",
    "start",
    "end",
    "employment_id",
    "declared_by_id",
)


def _with(fields: tuple[str, ...], **after: str) -> tuple[str, ...]:
    """``fields`` with a column inserted after each named one: _with(f, address="ward_id")."""
    return tuple(name for field in fields for name in (field, *((after[field],) if field in after else ())))


# The demo generator also knows each person's ward and each group's ward and opening time.
DEMO_PERSON_FIELDS = _with(PERSON_FIELDS, home_province_id="home_ward_id")
DEMO_GROUP_FIELDS = _with(GROUP_FIELDS, address="ward_id", owner_phone="starts_at")
