"""Pages of notifications: the inbox (every signed-in role), one notification, marking read (POST), the
broadcast form (province administrators and health officers) and failed deliveries (administrators)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from worktrace.accounts.access import Capability, get_notification_for_user, requires
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.notifications.delivery import deliveries_retry_failed
from worktrace.notifications.forms import BroadcastForm
from worktrace.notifications.kinds import people_rows
from worktrace.notifications.models import Broadcast, Delivery, DeliveryState
from worktrace.notifications.services import notification_mark_read
from worktrace.notifications.triggers import audience_resolve, broadcast_send


@requires(Capability.DASHBOARD)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = request.access.notifications().select_related("broadcast")
    unread_only = request.GET.get("chua-doc") == "1"
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page_obj = Paginator(notifications, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page_obj, "unread_only": unread_only})


@requires(Capability.DASHBOARD)
@require_GET
def notification_detail(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification, _access = get_notification_for_user(request.user, notification_id)
    people = people_rows(notification)
    if people:  # a list of the company's own people: a look at personal data
        audit_record(
            action=Action.LIST_PEOPLE,
            request=request,
            obj=notification,
            detail={"people": [p["id"] for p in people]},
        )
    return render(request, "notifications/detail.html", {"notification": notification, "people": people})


@requires(Capability.DASHBOARD)
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification, access = get_notification_for_user(request.user, notification_id)
    notification_mark_read(notifications=access.notifications().filter(pk=notification.pk))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "notifications")


@requires(Capability.DASHBOARD)
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(notifications=request.access.notifications())
    messages.success(request, _("Đã đánh dấu %(n)d thông báo là đã đọc.") % {"n": count})
    return redirect("notifications")


@requires(Capability.BROADCAST)
@require_http_methods(["GET", "POST"])
def broadcast(request: HttpRequest) -> HttpResponse:
    form = BroadcastForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        companies, people = audience_resolve(
            companies=data["companies"], workers=data["workers"], zone=data["zone"], chosen=data["chosen"]
        )
        audience = {
            "companies": data["companies"],
            "workers": data["workers"],
            "zone": data["zone"].pk if data["zone"] else None,
            "chosen": [c.pk for c in data["chosen"]],
            "sms": bool(data["sms"]),
        }
        with transaction.atomic():
            _broadcast, sent = broadcast_send(
                by=request.user,
                title=data["title"],
                body=data["body"],
                companies=companies,
                people=people,
                sms=bool(data["sms"]),
                audience=audience,
            )
        messages.success(
            request,
            _("Đã gửi thông báo tới %(users)d tài khoản doanh nghiệp và %(people)d người lao động.")
            % {"users": sent.users, "people": sent.people},
        )
        return redirect("broadcast")
    recent = Broadcast.objects.select_related("created_by")[:10]
    return render(request, "notifications/broadcast.html", {"form": form, "recent": recent})


@requires(Capability.ADMINISTER)
@require_GET
def failures(request: HttpRequest) -> HttpResponse:
    failed = Delivery.objects.filter(state=DeliveryState.FAILED).select_related("notification")
    page_obj = Paginator(failed, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/failures.html", {"page_obj": page_obj})


@requires(Capability.ADMINISTER)
@require_POST
def failures_retry(request: HttpRequest) -> HttpResponse:
    count = deliveries_retry_failed()
    messages.success(request, _("Đã đưa %(n)d lượt gửi vào hàng đợi để gửi lại.") % {"n": count})
    return redirect("notification_failures")
