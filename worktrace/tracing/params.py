"""The trace vocabulary: parameters as users give them, validated once, and the names of levels.

The web form, the API and `worktrace trace` all hand their raw values to ``trace_params_parse``, so there is one
set of limits and one set of error messages, and ``level_label`` is the one place that names a level ("F1",
"Theo dõi") for the page, the export, the API and the command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from worktrace.tracing.engine import (
    ALL_KINDS,
    DEFAULT_CLOSE,
    DEFAULT_DEPTH,
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_MIN_OVERLAP,
    MAX_DEPTH,
    MAX_PEOPLE,
    MAX_ROWS,
    TraceParams,
)

MAX_LOOKBACK_DAYS = 28
MAX_MIN_OVERLAP_MINUTES = 24 * 60
# Registers start in 2020; a date far outside [FIRST_DAY, today + a year] is a typing mistake, and dates near
# year 1 or 9999 would overflow the window arithmetic.
FIRST_DAY = dt.date(2020, 1, 1)
DAYS_AHEAD = 366

ERROR_DATE_RANGE = _("Ngày phải trong khoảng %(first)s – %(last)s.")
ERROR_LOOKBACK = _("Số ngày truy ngược phải từ 0 đến %(max)d.")
ERROR_DEPTH = _("Số tầng phải từ 1 đến %(max)d.")
ERROR_MIN_OVERLAP = _("Thời gian ở cùng địa điểm tối thiểu phải từ 0 đến %(max)d phút.")
ERROR_CLOSE_EMPTY = _("Hãy chọn ít nhất một quan hệ tính là tiếp xúc gần.")
ERROR_CLOSE_UNKNOWN = _("Loại quan hệ không hợp lệ: %(kinds)s.")
ERROR_ISOLATED_BEFORE_WINDOW = _("Ngày cách ly phải sau đầu khoảng phơi nhiễm.")

MONITOR = _("Theo dõi")
CUT_AFTER_LEVEL = _(
    "Truy vết đã dừng sau F%(level)d vì tầng tiếp theo vượt giới hạn (%(people)s người hoặc %(rows)s quan hệ): "
    "danh sách đủ đến F%(level)d. Hãy giảm số tầng hoặc số ngày truy ngược, hoặc bỏ các quan hệ rộng (phân xưởng, "
    "nhà trọ) khỏi tiếp xúc gần, rồi truy vết lại."
)
CUT_BEFORE_F1 = _(
    "Truy vết đã dừng vì ngay F1 đã vượt giới hạn %(rows)s quan hệ: chưa liệt kê ai. Hãy giảm số ngày truy ngược "
    "hoặc bỏ các quan hệ rộng (phân xưởng, nhà trọ), rồi truy vết lại."
)


def level_label(level: int, close: bool) -> str:
    """How every channel names a level: F1, F2, … for close contacts, "Theo dõi" (to monitor) for wide ones."""
    return f"F{level}" if close else str(MONITOR)


def cut_message(cut_after: int) -> str:
    """What to tell an officer whose trace the work bound stopped after level ``cut_after`` (0: before F1)."""
    values = {
        "level": cut_after,
        "people": formats.number_format(MAX_PEOPLE, force_grouping=True),
        "rows": formats.number_format(MAX_ROWS, force_grouping=True),
    }
    return str(CUT_AFTER_LEVEL if cut_after else CUT_BEFORE_F1) % values


def trace_params_parse(
    *,
    reference: dt.date | None,
    today: dt.date,
    lookback: int | None = None,
    isolated_on: dt.date | None = None,
    depth: int | None = None,
    close: Iterable[str] | None = None,
    min_overlap_minutes: int | None = None,
) -> TraceParams:
    """The parameters of one trace, or a ValidationError whose keys are these argument names.

    ``None`` takes the default (reference: today). Every error is collected, so a form shows them all at once.
    """
    errors: dict[str, list[str]] = {}
    last_day = today + dt.timedelta(days=DAYS_AHEAD)
    reference = reference or today
    lookback = DEFAULT_LOOKBACK_DAYS if lookback is None else lookback
    depth = DEFAULT_DEPTH if depth is None else depth
    kinds = DEFAULT_CLOSE if close is None else frozenset(close)
    minutes = int(DEFAULT_MIN_OVERLAP.total_seconds() // 60) if min_overlap_minutes is None else min_overlap_minutes

    def out_of_range(day: dt.date | None) -> bool:
        return day is not None and not FIRST_DAY <= day <= last_day

    for name, day in (("reference", reference), ("isolated_on", isolated_on)):
        if out_of_range(day):
            errors[name] = [str(ERROR_DATE_RANGE) % {"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{last_day:%d/%m/%Y}"}]
    if not 0 <= lookback <= MAX_LOOKBACK_DAYS:
        errors["lookback"] = [str(ERROR_LOOKBACK) % {"max": MAX_LOOKBACK_DAYS}]
    if not 1 <= depth <= MAX_DEPTH:
        errors["depth"] = [str(ERROR_DEPTH) % {"max": MAX_DEPTH}]
    if not 0 <= minutes <= MAX_MIN_OVERLAP_MINUTES:
        errors["min_overlap_minutes"] = [str(ERROR_MIN_OVERLAP) % {"max": MAX_MIN_OVERLAP_MINUTES}]
    unknown = kinds - set(ALL_KINDS)
    if unknown:
        errors["close"] = [str(ERROR_CLOSE_UNKNOWN) % {"kinds": ", ".join(sorted(unknown))}]
    elif not kinds:
        errors["close"] = [str(ERROR_CLOSE_EMPTY)]
    if not errors and isolated_on and isolated_on < reference - dt.timedelta(days=lookback):
        errors["isolated_on"] = [str(ERROR_ISOLATED_BEFORE_WINDOW)]
    if errors:
        raise ValidationError(errors)
    return TraceParams(
        reference=reference,
        lookback_days=lookback,
        isolated_on=isolated_on,
        close_kinds=frozenset(kinds),
        depth=depth,
        min_overlap=dt.timedelta(minutes=minutes),
    )


def trace_params_kinds(value: str) -> list[str]:
    """A comma-separated list of kinds (API, command line) as the list ``trace_params_parse`` checks."""
    return [k.strip() for k in value.split(",") if k.strip()]
