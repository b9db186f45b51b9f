"""Which company an upload is for, from the uploader's scope: shared by the web, JSON and token API routes."""

from __future__ import annotations

from worktrace.accounts.access import Access
from worktrace.registry.models import Company


class CompanyOutOfScope(Exception):
    pass


def upload_company(*, access: Access, tax_code: str) -> Company | None:
    """The company named by tax code if in scope; else the uploader's only company; else None (the file says)."""
    tax_code = tax_code.strip()
    if tax_code:
        company = access.companies().filter(tax_code=tax_code).first()
        if company is None:
            raise CompanyOutOfScope(tax_code)
        return company
    return access.default_upload_company()
