"""`worktrace demo`: build the synthetic province, create one demo account per role, and serve the site.

Serving starts the task queue's consumer beside the web server (demo/serve.py), so uploads run.

Run again, it finds the province already built and only serves it (``--reset`` is not offered on purpose:
the audit log is append-only; start from an empty database instead, ``rm -r var/``).
"""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count, Q

from worktrace.accounts.models import Role
from worktrace.accounts.services import user_create_with_role
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.demo.generator import demo_build, demo_exists
from worktrace.demo.serve import serve_with_worker
from worktrace.registry.models import Company, Employment, Facility, Zone, ZoneKind

DEMO_PASSWORD = "worktrace-demo"


def demo_accounts() -> list[tuple[str, Role, str]]:
    """Create or reset the demo accounts; returns (username, role, scope) for the console."""
    companies = list(
        Company.objects.annotate(n=Count("employments", filter=Q(employments__end_date__isnull=True)))
        .select_related("zone")
        .order_by("-n", "tax_code")[:2]
    )
    zone = (
        companies[0].zone
        if companies[0].zone.kind != ZoneKind.OUTSIDE
        else Zone.objects.exclude(kind=ZoneKind.OUTSIDE).first()
    )
    facility = Facility.objects.order_by("pk").first()
    worker = Employment.objects.filter(company=companies[0]).order_by("worker_code").select_related("person").first()
    specs = [
        ("admin", Role.PROVINCE_ADMIN, "Quản Trị Viên", {}, "toàn tỉnh"),
        ("yte", Role.HEALTH_OFFICER, "Cán Bộ CDC", {}, "toàn tỉnh"),
        ("bqlkcn", Role.ZONE_OFFICER, "Cán Bộ Ban Quản Lý", {"zone": zone}, zone.name),
        ("dn1", Role.COMPANY_FOCAL, "Đầu Mối Nhân Sự", {"company": companies[0]}, companies[0].name),
        ("dn2", Role.COMPANY_FOCAL, "Đầu Mối Nhân Sự", {"company": companies[1]}, companies[1].name),
        ("cachly", Role.FACILITY_OFFICER, "Cán Bộ Cách Ly", {"facility": facility}, facility.name),
        (
            "congnhan",
            Role.WORKER,
            worker.person.full_name,
            {"person": worker.person},
            worker.person.full_name,
        ),
    ]
    rows = []
    for username, role, full_name, scope, label in specs:
        user = user_create_with_role(username=username, password=DEMO_PASSWORD, role=role, full_name=full_name, **scope)
        # Notifications go by e-mail too (where EMAIL_HOST is set): every demo account has an address.
        user.email = f"{username}@demo.worktrace.vn"
        user.save(update_fields=["email"])
        rows.append((username, role, label))
    return rows


class Command(BaseCommand):
    help = "Xây dựng tỉnh mẫu (dữ liệu giả lập), tạo tài khoản mẫu cho mọi vai trò và chạy trang web."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=10_000, help="số người lao động (mặc định 10000)")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="ngày tham chiếu YYYY-MM-DD")
        parser.add_argument("--trip-days", type=int, default=7, help="số ngày có chuyến xe đưa đón")
        parser.add_argument("--no-serve", action="store_true", help="chỉ tạo dữ liệu, không chạy trang web")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Tỉnh mẫu đã có sẵn trong cơ sở dữ liệu.")
        else:
            self.stdout.write(f"Đang tạo tỉnh mẫu với {options['workers']:,} người lao động...".replace(",", "."))
            result = demo_build(
                workers=options["workers"],
                seed=options["seed"],
                today=options["date"],
                trip_days=options["trip_days"],
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo {result.workers} người lao động, {result.people} người, {result.companies} doanh nghiệp, "
                    f"{result.groups} nhóm, {result.memberships} thành viên nhóm trong {result.seconds:.1f} giây."
                )
            )
            audit_record(action=Action.COMMAND, object_type="demo", detail={"workers": result.workers})
        rows = demo_accounts()
        self.stdout.write(f"\nTài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, label in rows:
            self.stdout.write(f"  {username:<10} {role.label} — {label}")
        if not options["no_serve"]:
            self.stdout.write(f"\nMở http://{options['addrport']}/ trong trình duyệt. Nhấn Ctrl+C để dừng.\n")
            # The web server and the task queue's worker (roster uploads, periodic sweeps) stop together.
            serve_with_worker(options["addrport"], out=self.stdout)
