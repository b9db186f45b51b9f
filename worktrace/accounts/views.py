"""Sign-in and sign-out, with django-axes counting failures and locking repeated ones out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from worktrace.accounts.access import public

login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = public(auth_views.LogoutView.as_view())
