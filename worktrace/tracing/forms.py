"""The trace parameters as a form: field types and labels only; limits and messages are tracing/params.py's."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models import GroupKind
from worktrace.tracing.engine import (
    ALL_KINDS,
    DEFAULT_CLOSE,
    DEFAULT_DEPTH,
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_MIN_OVERLAP,
    TraceParams,
)
from worktrace.tracing.models import TraceRecord
from worktrace.tracing.params import trace_params_parse

# Form field → argument of trace_params_parse, where they differ.
_PARAM_NAMES = {"min_overlap": "min_overlap_minutes"}


class TraceForm(forms.Form):
    reference = forms.DateField(
        label=_("Ngày khởi phát/lấy mẫu"), help_text=_("dd/mm/yyyy"), widget=forms.DateInput(format="%d/%m/%Y")
    )
    lookback = forms.IntegerField(label=_("Số ngày truy ngược"))
    isolated_on = forms.DateField(
        label=_("Ngày F0 được cách ly"), required=False, widget=forms.DateInput(format="%d/%m/%Y")
    )
    depth = forms.IntegerField(label=_("Số tầng (F1, F2, …)"))
    min_overlap = forms.IntegerField(label=_("Ở cùng địa điểm tối thiểu (phút)"), required=False)
    close = forms.MultipleChoiceField(
        label=_("Quan hệ tính là tiếp xúc gần"),
        choices=[(k, GroupKind(k).label) for k in ALL_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(label=_("Mục đích (ghi vào nhật ký)"), max_length=300)

    @classmethod
    def initial_values(cls) -> dict:
        return {
            "reference": timezone.localdate(),
            "lookback": DEFAULT_LOOKBACK_DAYS,
            "depth": DEFAULT_DEPTH,
            "min_overlap": int(DEFAULT_MIN_OVERLAP.total_seconds() // 60),
            "close": sorted(DEFAULT_CLOSE),
        }

    @classmethod
    def initial_from(cls, record: TraceRecord) -> dict:
        """The values a kept result was traced with, to show above it."""
        params = TraceParams.from_dict(record.params)
        return {
            "reference": params.reference,
            "lookback": params.lookback_days,
            "isolated_on": params.isolated_on,
            "depth": params.depth,
            "min_overlap": int(params.min_overlap.total_seconds() // 60),
            "close": sorted(params.close_kinds),
            "purpose": record.purpose,
        }

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            self._params = trace_params_parse(
                reference=data["reference"],
                today=timezone.localdate(),
                lookback=data["lookback"],
                isolated_on=data["isolated_on"],
                depth=data["depth"],
                close=data["close"],
                min_overlap_minutes=data["min_overlap"],
            )
        except ValidationError as exc:
            fields = {param: field for field, param in _PARAM_NAMES.items()}
            for name, messages in exc.message_dict.items():
                self.add_error(fields.get(name, name), messages)
        return data

    def params(self) -> TraceParams:
        """The validated parameters (only after ``is_valid()``)."""
        return self._params
