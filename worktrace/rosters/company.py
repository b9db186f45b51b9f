"""Company resolution for a roster import: which company a file is for, and its zone.

Split out of services.py so the import workflow reads on its own; behaviour unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from worktrace.registry.models import Company, Zone, ZoneKind
from worktrace.rosters import messages as m
from worktrace.rosters.parse import ParsedRoster
from worktrace.rosters.reader import RefusedError
from worktrace.text import digits, fold, match_key

TAX_CODE = re.compile(r"\d{10}(-\d{3})?")


def normalise_tax_code(value: str) -> str:
    value = value.strip().replace(" ", "")
    number = digits(value)
    if len(number) == 13 and "-" not in value:
        value = f"{number[:10]}-{number[10:]}"
    return value


def _resolve_company(
    *, parsed: ParsedRoster, company: Company | None, tax_code: str | None, user: Any
) -> tuple[Company | None, dict | None]:
    """The company the file is for: the one chosen, else the one named in the "Doanh nghiệp" sheet.

    Returns (company, fields for a new company); a new company is created only inside the transaction.
    """
    from worktrace.accounts.access import access_for

    info = parsed.company
    file_tax = normalise_tax_code(info.get("tax_code", ""))
    if company is None and tax_code:
        company = Company.objects.filter(tax_code=normalise_tax_code(tax_code)).first()
        if company is None:
            file_tax = file_tax or normalise_tax_code(tax_code)
            if file_tax != normalise_tax_code(tax_code):
                raise RefusedError(m.E_COMPANY_MISMATCH, sheet="Doanh nghiệp", column="Mã số thuế", value=file_tax)
    if company is not None:
        if file_tax and file_tax != company.tax_code:
            raise RefusedError(m.E_COMPANY_MISMATCH, sheet="Doanh nghiệp", column="Mã số thuế", value=file_tax)
    elif not file_tax:
        raise RefusedError(m.E_NO_COMPANY, sheet="Doanh nghiệp")
    elif not TAX_CODE.fullmatch(file_tax):
        raise RefusedError(m.E_BAD_TAX_CODE, sheet="Doanh nghiệp", column="Mã số thuế", value=file_tax)
    else:
        company = Company.objects.filter(tax_code=file_tax).first()
    new_fields: dict[str, Any] | None = None
    if company is None:
        if not info.get("name"):
            raise RefusedError(m.E_COMPANY_NAME, sheet="Doanh nghiệp", column="Tên doanh nghiệp")
        new_fields = {
            "tax_code": file_tax,
            "name": info["name"][:300],
            "zone": _zone_for(info.get("zone", "")),
            "address": info.get("address", "")[:300],
            "contact_name": info.get("contact_name", "")[:200],
            "contact_phone": info.get("contact_phone", "")[:20],
            "contact_email": info.get("contact_email", "")[:254],
        }
    if user is not None:
        access = access_for(user)
        if company is not None and not access.may_import_for(company):
            raise RefusedError(m.E_OUT_OF_SCOPE)
        if company is None and not access.may_create_company(new_fields["zone"] if new_fields else None):
            raise RefusedError(m.E_OUT_OF_SCOPE)
    return company, new_fields


def _zone_for(name: str) -> Zone:
    zones = list(Zone.objects.all())
    if name:
        wanted = {fold(name), match_key(name)}
        for zone in zones:
            if fold(zone.name) in wanted or match_key(zone.name) in wanted or fold(zone.code) in wanted:
                return zone
        raise RefusedError(m.E_UNKNOWN_ZONE, sheet="Doanh nghiệp", column="Khu/Cụm công nghiệp", value=name)
    for zone in zones:
        if zone.kind == ZoneKind.OUTSIDE:
            return zone
    return Zone.objects.create(
        code="NGOAI-KCN", name=str(ZoneKind.OUTSIDE.label), kind=ZoneKind.OUTSIDE, province_id=24
    )
