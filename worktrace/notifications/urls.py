from django.urls import path

from worktrace.notifications import views

urlpatterns = [
    path("thong-bao/", views.inbox, name="notifications"),
    path("thong-bao/da-doc-het/", views.notifications_read_all, name="notifications_read_all"),
    path("thong-bao/gui/", views.broadcast, name="broadcast"),
    path("thong-bao/that-bai/", views.failures, name="notification_failures"),
    path("thong-bao/that-bai/gui-lai/", views.failures_retry, name="notification_failures_retry"),
    path("thong-bao/<int:notification_id>/", views.notification_detail, name="notification"),
    path("thong-bao/<int:notification_id>/da-doc/", views.notification_read, name="notification_read"),
]
