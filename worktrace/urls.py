"""URL configuration. Every view declares its access with @requires or @public (see accounts/access.py)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from worktrace.accounts import views as account_views
from worktrace.accounts.access import public
from worktrace.api.api import urls as api_urls
from worktrace.front import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", account_views.login, name="login"),
    path("dang-xuat/", account_views.logout, name="logout"),
    path("nguoi/", views.people_list, name="people"),
    path("nguoi/<int:person_id>/", views.person_detail, name="person"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("quan-tri/", admin.site.urls),
    path("danh-sach/", include("worktrace.rosters.urls")),
    path("", include("worktrace.tracing.urls")),
    path("", include("worktrace.notifications.urls")),
    path("api/", api_urls()),
]

# JSON under /api/, the Vietnamese pages elsewhere (worktrace/errors.py).
handler400 = "worktrace.errors.bad_request"
handler403 = "worktrace.errors.permission_denied"
handler404 = "worktrace.errors.page_not_found"
handler500 = "worktrace.errors.server_error"
