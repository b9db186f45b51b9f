"""The template of each kind of notification: a short title and a body, Vietnamese msgids with named fields.

A notification stores the fields (``params``), not the text, so it is shown in the reader's language (inbox,
worker page) and e-mails and SMS are written in the province's language (``settings.LANGUAGE_CODE``). A
broadcast's title and body are the sender's own words and are shown as written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from worktrace.notifications.models import Kind

if TYPE_CHECKING:
    from worktrace.notifications.models import Notification

TEMPLATES: dict[str, tuple[Any, Any]] = {
    Kind.CASES_CONFIRMED: (
        _("%(n)d người lao động của %(company)s là tiếp xúc gần của ca bệnh"),
        _(
            "Cơ quan y tế đã xác nhận %(n)d người lao động của %(company)s là tiếp xúc gần của một ca bệnh "
            "(cuộc điều tra số %(investigation)s). Hãy báo ngay cho từng người và thực hiện hướng dẫn cách ly "
            "trong danh sách."
        ),
    ),
    Kind.CASES_BY_COMPANY: (
        _("%(zone)s: %(n)d người lao động của %(companies)d doanh nghiệp là tiếp xúc gần"),
        _(
            "Cơ quan y tế đã xác nhận %(n)d người lao động của %(companies)d doanh nghiệp trong %(zone)s là tiếp "
            "xúc gần của một ca bệnh (cuộc điều tra số %(investigation)s). Mỗi doanh nghiệp đã nhận danh sách "
            "người của mình."
        ),
    ),
    Kind.POSITIVE_TEST: (
        _("Kết quả dương tính: %(name)s"),
        _(
            "%(name)s có kết quả xét nghiệm dương tính, mẫu lấy ngày %(sampled_on)s (%(source)s). Mở đề xuất "
            "truy vết để xem những người tiếp xúc."
        ),
    ),
    Kind.ROSTER_STALE: (
        _("Nhắc cập nhật danh sách người lao động"),
        _(
            "Danh sách người lao động của %(company)s chưa được cập nhật từ ngày %(since)s (%(days)d ngày). "
            "Doanh nghiệp cập nhật danh sách ít nhất 3 ngày một lần."
        ),
    ),
    Kind.ROSTER_DIGEST: (
        _("%(zone)s, ngày %(day)s: %(n)d doanh nghiệp chưa cập nhật danh sách"),
        _("%(n)d doanh nghiệp trong %(zone)s chưa cập nhật danh sách người lao động trong 3 ngày qua."),
    ),
}

SOURCE_OFFICIAL = _("cơ quan y tế ghi nhận")
SOURCE_COMPANY = _("do %(company)s khai báo")
NO_INSTRUCTION = _("Theo hướng dẫn của cơ quan y tế")


def _fields(params: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in params.items() if isinstance(v, str | int)}
    for key in ("sampled_on", "since", "day"):
        if key in fields:
            fields[key] = dt.date.fromisoformat(str(fields[key])).strftime("%d/%m/%Y")
    if "source_company" in params:
        company = params["source_company"]
        fields["source"] = str(SOURCE_COMPANY) % {"company": company} if company else str(SOURCE_OFFICIAL)
    return fields


def _render(kind: str, params: dict[str, Any], which: int) -> str:
    if kind == Kind.BROADCAST:
        return str(params.get(("title", "body")[which], ""))
    template = TEMPLATES[kind][which]
    return str(template) % _fields(params)  # str() of a lazy msgid translates it into the active language


def render_title(notification: Notification) -> str:
    return _render(notification.kind, _with_broadcast(notification), 0)


def render_body(notification: Notification) -> str:
    return _render(notification.kind, _with_broadcast(notification), 1)


def _with_broadcast(notification: Notification) -> dict[str, Any]:
    if notification.kind == Kind.BROADCAST and notification.broadcast_id and "title" not in notification.params:
        broadcast = notification.broadcast
        if broadcast is not None:
            return {"title": broadcast.title, "body": broadcast.body}
    return notification.params


def instruction(place_label: str, starts_on: str) -> str:
    """A person's quarantine instruction as the list shows it: the place the officer chose, from when."""
    day = dt.date.fromisoformat(starts_on).strftime("%d/%m/%Y") if starts_on else ""
    if not place_label:
        return str(NO_INSTRUCTION)
    return f"{place_label} — {gettext('từ ngày')} {day}" if day else place_label


def people_rows(notification: Notification) -> list[dict[str, Any]]:
    """The people a notification lists (trigger 1), each with the quarantine instruction in the active language."""
    from worktrace.tracing.models import QuarantinePlace

    labels = dict(QuarantinePlace.choices)
    return [
        {**p, "instruction": instruction(str(labels.get(p.get("place", ""), "")), p.get("starts_on", ""))}
        for p in notification.params.get("people") or []
    ]
