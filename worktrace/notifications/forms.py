"""The broadcast form: a message, and who it goes to."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from worktrace.notifications.triggers import Audience
from worktrace.registry.models import Company, Zone

ERROR_NO_AUDIENCE = _("Hãy chọn người nhận: doanh nghiệp, người lao động hoặc cả hai.")
ERROR_NO_ZONE = _("Đã chọn gửi theo khu/cụm: hãy chọn một khu/cụm.")
ERROR_NO_COMPANY = _("Đã chọn gửi cho doanh nghiệp được chọn: hãy chọn ít nhất một doanh nghiệp.")

COMPANY_CHOICES = [
    (Audience.NONE, _("Không gửi cho doanh nghiệp")),
    (Audience.ALL, _("Mọi doanh nghiệp")),
    (Audience.ZONE, _("Doanh nghiệp của một khu/cụm")),
    (Audience.CHOSEN, _("Các doanh nghiệp được chọn")),
]
WORKER_CHOICES = [
    (Audience.NONE, _("Không gửi cho người lao động")),
    (Audience.ALL, _("Mọi người lao động trong tỉnh")),
    (Audience.ZONE, _("Người lao động của một khu/cụm")),
    (Audience.CHOSEN, _("Người lao động của các doanh nghiệp được chọn")),
]


class BroadcastForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=120)
    body = forms.CharField(label=_("Nội dung"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}))
    companies = forms.ChoiceField(label=_("Gửi cho doanh nghiệp"), choices=COMPANY_CHOICES, required=False)
    workers = forms.ChoiceField(label=_("Gửi cho người lao động"), choices=WORKER_CHOICES, required=False)
    zone = forms.ModelChoiceField(label=_("Khu/cụm"), queryset=Zone.objects.order_by("name"), required=False)
    chosen = forms.ModelMultipleChoiceField(
        label=_("Doanh nghiệp được chọn"),
        queryset=Company.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    sms = forms.BooleanField(label=_("Gửi cả tin nhắn SMS cho người lao động có số điện thoại"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not settings.SMS_GATEWAY_URL:
            self.fields["sms"].disabled = True
            self.fields["sms"].help_text = _("Chưa cấu hình cổng SMS (SMS_GATEWAY_URL).")

    def clean(self) -> dict:
        data = super().clean()
        companies, workers = data.get("companies", ""), data.get("workers", "")
        if not companies and not workers:
            raise forms.ValidationError(ERROR_NO_AUDIENCE)
        if Audience.ZONE in (companies, workers) and not data.get("zone"):
            self.add_error("zone", ERROR_NO_ZONE)
        if Audience.CHOSEN in (companies, workers) and not data.get("chosen"):
            self.add_error("chosen", ERROR_NO_COMPANY)
        return data
