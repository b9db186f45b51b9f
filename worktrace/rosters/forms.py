from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from worktrace.accounts.access import ExportScope
from worktrace.registry.models import Company, Zone


class UploadForm(forms.Form):
    company = forms.ModelChoiceField(queryset=Company.objects.none(), label=_("Doanh nghiệp"))
    file = forms.FileField(label=_("Tệp danh sách (.xlsx, .xls, .ods)"))
    strict = forms.BooleanField(required=False, label=_("Nghiêm ngặt: nếu có dòng lỗi thì không áp dụng dòng nào"))

    def __init__(self, *args, companies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies if companies is not None else Company.objects.none()
        if companies is not None and companies.count() == 1:
            self.fields["company"].initial = companies.first()


class ExportForm(forms.Form):
    scope = forms.ChoiceField(choices=ExportScope.choices, label=_("Phạm vi"), initial=ExportScope.COMPANY)
    company = forms.ModelChoiceField(queryset=Company.objects.none(), required=False, label=_("Doanh nghiệp"))
    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), required=False, label=_("Khu/cụm"))
    purpose = forms.CharField(max_length=300, label=_("Mục đích xuất dữ liệu"))

    def __init__(self, *args, access=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["company"].queryset = access.companies()
        self.fields["zone"].queryset = access.zones()

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == ExportScope.COMPANY and not data.get("company"):
            self.add_error("company", _("Chọn doanh nghiệp."))
        if scope == ExportScope.ZONE and not data.get("zone"):
            self.add_error("zone", _("Chọn khu/cụm."))
        if scope == ExportScope.ZONE and data.get("zone") and not self.access.may_export(scope, data["zone"]):
            self.add_error("zone", _("Bạn chỉ được xuất danh sách doanh nghiệp của mình."))
        if scope == ExportScope.PROVINCE and not self.access.may_export(scope):
            self.add_error("scope", _("Chỉ cán bộ cấp tỉnh được xuất danh sách toàn tỉnh."))
        return data
