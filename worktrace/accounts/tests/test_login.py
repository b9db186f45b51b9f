from __future__ import annotations

from django.urls import reverse

from worktrace.audit.models import Action, AuditEntry
from worktrace.testing import PASSWORD


def test_it_signs_in_and_records_it(client, world):
    response = client.post(reverse("login"), {"username": "health", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGIN, username="health").exists()


def test_it_explains_a_wrong_password_in_vietnamese(client, world):
    response = client.post(reverse("login"), {"username": "health", "password": "sai mật khẩu"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, object_repr="health").exists()


def test_it_locks_out_after_repeated_failures(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "health", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "health", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, world):
    client.force_login(world.health)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
