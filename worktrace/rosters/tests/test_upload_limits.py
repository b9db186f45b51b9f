"""Bounded uploads: an oversized body is refused before it is read, by its length or as it streams in."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from worktrace.api.services import token_create
from worktrace.rosters.models import ImportRun
from worktrace.rosters.testing import roster_bytes, worker
from worktrace.rosters.uploads import E_BODY_TOO_LARGE, LimitedUploadHandler, UploadSizeMiddleware, body_limit


@pytest.fixture
def small_limit(settings):
    settings.ROSTER_MAX_UPLOAD_MB = 0.05  # 51 KiB: the limit plus the form's allowance is ~115 KiB


def big_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("ds.xlsx", b"x" * (body_limit() + 1))


def test_it_refuses_an_oversized_page_upload_with_413(client, world, small_limit):
    client.force_login(world.focal_a)
    response = client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": big_file()})
    assert response.status_code == 413
    assert str(E_BODY_TOO_LARGE) % {"limit": "0.05"} in response.content.decode()
    assert not ImportRun.objects.exists()


def test_it_refuses_an_oversized_api_upload_with_json_413(client, world, small_limit):
    _token, raw = token_create(user=world.focal_a, name="HR")
    response = client.post("/api/rosters", {"file": big_file()}, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 413
    assert response.json()["detail"] == str(E_BODY_TOO_LARGE) % {"limit": "0.05"}
    assert not ImportRun.objects.exists()


def test_it_refuses_by_length_before_reading_the_body(world, small_limit):
    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    request = RequestFactory().post(reverse("roster_upload"), data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(body_limit() + 1)
    stream = LimitedStream(Unreadable(), body_limit() + 1)  # as Django's development server hands it over
    request.META["wsgi.input"] = stream
    response = UploadSizeMiddleware(lambda r: HttpResponse(r.POST))(request)
    assert response.status_code == 413
    assert stream.read() == b""  # nor will the server read the rest into memory once the answer is sent


def test_it_stops_a_streamed_body_past_the_limit(world, small_limit):
    request = RequestFactory().post("/")
    handler = LimitedUploadHandler(request)
    handler.handle_raw_input(None, {}, 0, b"x")
    chunk = b"x" * 64 * 1024
    received = 0
    with pytest.raises(StopUpload):
        while True:
            assert handler.receive_data_chunk(chunk, received) == chunk
            received += len(chunk)
    assert received <= body_limit()
    assert request.upload_too_large


def test_it_accepts_an_upload_under_the_limit(client, world, settings):
    settings.ROSTER_MAX_UPLOAD_MB = 1
    client.force_login(world.focal_a)
    upload = SimpleUploadedFile("ds.xlsx", roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111")]))
    response = client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": upload})
    assert response.status_code == 302 and ImportRun.objects.get().status == "previewed"
