from django.urls import path

from worktrace.tracing import views

urlpatterns = [
    path("truy-vet/<int:person_id>/", views.trace_page, name="trace"),
    path("truy-vet/<int:person_id>/xlsx/", views.trace_export, name="trace_export"),
    path("truy-vet/<int:person_id>/luu/", views.investigation_save, name="investigation_save"),
    path("dieu-tra/", views.investigation_list, name="investigations"),
    path("dieu-tra/<int:investigation_id>/", views.investigation_detail, name="investigation"),
    path("dieu-tra/<int:investigation_id>/xac-nhan/", views.investigation_confirm, name="investigation_confirm"),
]
