from django.urls import path

from worktrace.rosters import conflict_views, views

urlpatterns = [
    path("", views.rosters, name="rosters"),
    path("tai-len/", views.upload, name="roster_upload"),
    path("lan-nhap/<int:run_id>/", views.run_detail, name="roster_run"),
    path("lan-nhap/<int:run_id>/ap-dung/", views.run_apply, name="roster_apply"),
    path("lan-nhap/<int:run_id>/hoan-tac/", views.run_undo, name="roster_undo"),
    path("lan-nhap/<int:run_id>/bao-cao-loi.xlsx", views.run_report, name="roster_report"),
    path("mau.xlsx", views.template, name="roster_template"),
    path("xuat/", views.export, name="roster_export"),
    path("api/nhap/", views.api_import, name="roster_api_import"),
    path("nha-tro/<int:house_id>/gop/", views.house_merge_view, name="roster_houses"),
    path("xung-dot/", conflict_views.conflict_list, name="identity_conflicts"),
    path("xung-dot/<int:conflict_id>/xu-ly/", conflict_views.conflict_resolve_view, name="identity_conflict_resolve"),
]
