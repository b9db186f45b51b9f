from django.urls import path

from worktrace.tracing import investigation_views, views

urlpatterns = [
    path("truy-vet/<int:person_id>/", views.trace_page, name="trace"),
    path("truy-vet/<int:person_id>/ket-qua/", views.trace_result, name="trace_result"),
    path("truy-vet/<int:person_id>/in/", views.trace_print, name="trace_print"),
    path("truy-vet/<int:person_id>/xlsx/", views.trace_export, name="trace_export"),
    path("truy-vet/<int:person_id>/goi/<slug:company>/", views.trace_calls, name="trace_calls"),
    path("truy-vet/<int:person_id>/goi/<slug:company>/xlsx/", views.trace_calls_export, name="trace_calls_export"),
    path("truy-vet/<int:person_id>/mang-luoi/", views.trace_graph_data, name="trace_graph"),
    path("truy-vet/<int:person_id>/luu/", views.investigation_save, name="investigation_save"),
    path("dieu-tra/", investigation_views.investigation_list, name="investigations"),
    path("dieu-tra/<int:investigation_id>/", investigation_views.investigation_detail, name="investigation"),
    path(
        "dieu-tra/<int:investigation_id>/xac-nhan/",
        investigation_views.investigation_confirm_view,
        name="investigation_confirm",
    ),
]
