"""The trace parameters as a form: the web page and the saved investigation share it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models import GroupKind
from worktrace.tracing.engine import (
    ALL_KINDS,
    DEFAULT_CLOSE,
    DEFAULT_DEPTH,
    DEFAULT_LOOKBACK_DAYS,
    MAX_DEPTH,
    TraceParams,
)
from worktrace.tracing.models import QuarantinePlace


class TraceForm(forms.Form):
    reference = forms.DateField(
        label=_("Ngày khởi phát/lấy mẫu"), help_text=_("dd/mm/yyyy"), widget=forms.DateInput(format="%d/%m/%Y")
    )
    lookback = forms.IntegerField(label=_("Số ngày truy ngược"), min_value=0, max_value=28)
    isolated_on = forms.DateField(
        label=_("Ngày F0 được cách ly"), required=False, widget=forms.DateInput(format="%d/%m/%Y")
    )
    depth = forms.IntegerField(label=_("Số tầng (F1, F2, …)"), min_value=1, max_value=MAX_DEPTH)
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
            "close": sorted(DEFAULT_CLOSE),
        }

    def params(self) -> TraceParams:
        data = self.cleaned_data
        return TraceParams(
            reference=data["reference"],
            lookback_days=data["lookback"],
            isolated_on=data["isolated_on"],
            close_kinds=frozenset(data["close"]),
            depth=data["depth"],
        )

    def clean(self) -> dict:
        data = super().clean()
        isolated, reference = data.get("isolated_on"), data.get("reference")
        if isolated and reference and isolated < reference - dt.timedelta(days=data.get("lookback") or 0):
            self.add_error("isolated_on", _("Ngày cách ly phải sau đầu khoảng phơi nhiễm."))
        return data


class ConfirmForm(forms.Form):
    people = forms.TypedMultipleChoiceField(coerce=int, label=_("Người được xác nhận"))
    quarantine_place = forms.ChoiceField(
        label=_("Nơi cách ly"), choices=[("", "—"), *QuarantinePlace.choices], required=False
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = choices
