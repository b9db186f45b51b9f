from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
    SCOPES = [("company", _("Một doanh nghiệp")), ("zone", _("Một khu/cụm")), ("province", _("Toàn tỉnh"))]
    scope = forms.ChoiceField(choices=SCOPES, label=_("Phạm vi"), initial="company")
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
        if scope == "company" and not data.get("company"):
            self.add_error("company", _("Chọn doanh nghiệp."))
        if scope == "zone" and not data.get("zone"):
            self.add_error("zone", _("Chọn khu/cụm."))
        if (
            scope == "zone"
            and data.get("zone")
            and not (self.access.province_wide or data["zone"].pk in self.access.zone_ids)
        ):
            self.add_error("zone", _("Bạn chỉ được xuất danh sách doanh nghiệp của mình."))
        if scope == "province" and not self.access.province_wide:
            self.add_error("scope", _("Chỉ cán bộ cấp tỉnh được xuất danh sách toàn tỉnh."))
        return data
