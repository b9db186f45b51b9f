"""The append-only audit log.

Nothing in the application changes or deletes an entry: the model refuses it, the QuerySet refuses bulk
updates and deletes, the admin is read-only, and a database trigger (SQLite and PostgreSQL) refuses UPDATE and
DELETE from any other client.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


APPEND_ONLY_MESSAGE = "Nhật ký truy cập chỉ được ghi thêm, không được sửa hoặc xóa."


class Action(models.TextChoices):
    VIEW_PERSON = "view_person", _("Xem hồ sơ người")
    LIST_PEOPLE = "list_people", _("Xem danh sách người")
    SEARCH = "search", _("Tìm kiếm")
    TRACE = "trace", _("Truy vết")
    CONFIRM_CASES = "confirm_cases", _("Xác nhận phân loại ca")
    EXPORT = "export", _("Xuất dữ liệu")
    IMPORT = "import", _("Nhập dữ liệu")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    READ_AUDIT = "read_audit", _("Xem nhật ký")
    ADMIN_CHANGE = "admin_change", _("Thay đổi quản trị")
    COMMAND = "command", _("Lệnh quản trị")
    NOTIFY = "notify", _("Gửi thông báo")
    NOTIFICATION_SENT = "notification_sent", _("Thông báo đã đến người nhận")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)


class AuditEntry(models.Model):
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tài khoản"),
    )
    # Kept as text too: the entry must still say who it was if the account is later removed.
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    roles = models.CharField(_("vai trò"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=40, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    purpose = models.CharField(_("mục đích"), max_length=300, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký truy cập")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)
