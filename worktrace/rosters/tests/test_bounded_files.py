"""Workbooks bounded before parsing: inflated size absolutely, as declared and as actually inflated; .xls size."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest
import xlwt

from worktrace.rosters import messages as m
from worktrace.rosters.reader import RefusedError, check_bytes
from worktrace.rosters.testing import roster_bytes, worker


def refused_with(data: bytes) -> str:
    with pytest.raises(RefusedError) as caught:
        check_bytes(data)
    return caught.value.message


def test_it_refuses_an_archive_over_the_absolute_inflated_size(settings):
    settings.ROSTER_MAX_INFLATED_MB = 1
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        # Incompressible: the ratio is ~1, far under the ratio limit; only the absolute bound refuses it.
        archive.writestr("xl/sharedStrings.xml", os.urandom(2 * 2**20))
    assert refused_with(stream.getvalue()) == m.E_ZIP_BOMB


def test_it_reads_a_real_roster_under_the_bound(settings):
    settings.ROSTER_MAX_INFLATED_MB = 1
    assert check_bytes(roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111")])) == "xlsx"


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size that the local header and the central directory declare for ``name``."""
    out = bytearray(data)
    for signature, size_offset, name_len_offset, name_offset in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        start = 0
        while (start := out.find(signature, start)) != -1:
            (length,) = struct.unpack_from("<H", out, start + name_len_offset)
            if bytes(out[start + name_offset : start + name_offset + length]) == name:
                struct.pack_into("<I", out, start + size_offset, size)
            start += 4
    return bytes(out)


def test_it_refuses_a_part_that_inflates_beyond_its_declared_size():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * (3 * 2**20))  # 12 MB, declared as 1 KB below
    data = _lie_about_size(stream.getvalue(), b"xl/worksheets/sheet1.xml", 1024)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) < 2048  # passes size and ratio
    assert refused_with(data) == m.E_ZIP_BOMB


def test_it_refuses_an_xls_over_its_own_limit(settings):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Người lao động")
    for row in range(3000):
        for col in range(10):
            sheet.write(row, col, f"ô {row} {col} " * 3)
    stream = io.BytesIO()
    book.save(stream)
    data = stream.getvalue()
    settings.ROSTER_MAX_XLS_MB = len(data) / 2**20 / 2
    assert refused_with(data) == m.E_TOO_LARGE
    settings.ROSTER_MAX_XLS_MB = 20
    assert check_bytes(data) == "xls"
