"""Finding a formula in an uploaded workbook, in every format the reader takes (.xlsx, .xls, .ods).

reader.Workbook refuses such a file:

calamine reads only a formula's cached value, which may be stale or absent, and the error report hands the
uploaded cells to health officers: a formula must not get in (the refusal names sheet and cell, and asks for
pasted values). Each format is parsed as what it is, so no way of writing a formula slips past a pattern:
the sheet XML of an .xlsx and the content.xml of an .ods with lxml (namespaces, prefixes and quoting are the
parser's business; no DTD, no entities, no network), and the BIFF records of an .xls, read with olefile.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from typing import IO

import olefile
from lxml import etree
from openpyxl.utils import get_column_letter

_SAFE_XML = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]+)")
# BIFF record types: BOF of a substream, a sheet's name and position, and a formula cell (BIFF5/8, 3, 4).
_BOF, _BOUNDSHEET, _FORMULAS = 0x0809, 0x0085, {0x0006, 0x0206, 0x0406}


def first_formula(data: bytes, kind: str) -> tuple[str, int, str] | None:
    """(sheet, row, column letters) of the first cell holding a formula, or None; ``kind``: 'xlsx', 'xls', 'ods'."""
    if kind == "xlsx":
        return _xlsx(zipfile.ZipFile(io.BytesIO(data)))
    if kind == "ods":
        return _ods(zipfile.ZipFile(io.BytesIO(data)))
    if kind == "xls":
        return _xls(data)
    return None


def _parse(content: bytes) -> etree._Element:
    return etree.fromstring(content, etree.XMLParser(**_SAFE_XML))


def _iterparse(content: bytes, tags: tuple[str, ...]) -> Iterator[tuple[str, etree._Element]]:
    return etree.iterparse(io.BytesIO(content), events=("start", "end"), tag=tags, **_SAFE_XML)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


# -- .xlsx ----------------------------------------------------------------------------------------------------
def _xlsx(archive: zipfile.ZipFile) -> tuple[str, int, str] | None:
    names = set(archive.namelist())
    sheets = _xlsx_sheets(archive, names)
    # A worksheet part the workbook does not list is checked too, named by its file.
    for path in sorted(names):
        if path.startswith("xl/worksheets/") and path.endswith(".xml") and path not in sheets.values():
            sheets[posixpath.basename(path)] = path
    for name, path in sheets.items():
        if path not in names:
            continue
        with archive.open(path) as stream:
            if not _may_hold_formula(stream):
                continue
        cell = _xlsx_formula_cell(archive.read(path))
        if cell is not None:
            return (name, *cell)
    return None


def _may_hold_formula(stream: IO[bytes]) -> bool:
    """Any formula element is written <f or <prefix:f: without either there is nothing to parse for.

    Read in blocks, so a large sheet is never held whole in memory for this (most files stop here)."""
    tail = b""
    while block := stream.read(1 << 22):
        block = tail + block
        if b"<f" in block or b":f" in block:
            return True
        tail = block[-1:]
    return False


def _xlsx_sheets(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet name → path of its XML, from the workbook and its relationships."""
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _parse(archive.read("xl/_rels/workbook.xml.rels")).iter("{*}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[rel.get("Id", "")] = path
    sheets: dict[str, str] = {}
    for sheet in _parse(archive.read("xl/workbook.xml")).iter("{*}sheet"):
        rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), "")
        if rel_id in targets:
            sheets[sheet.get("name", "")] = targets[rel_id]
    return sheets


def _xlsx_formula_cell(content: bytes) -> tuple[int, str] | None:
    """(row, column letters) of the first cell holding a formula element, however prefixed or quoted."""
    row, col = 0, 0
    for event, element in _iterparse(content, ("{*}row", "{*}c")):
        if _local(element) == "row":
            if event == "start":
                number = element.get("r", "")
                row, col = (int(number) if number.isdigit() else row + 1), 0
            else:
                element.clear()  # bounded memory on a large sheet
            continue
        if event != "end":
            continue
        match = _CELL_REF.fullmatch(element.get("r", ""))
        if match:
            letters, row = match.group(1).upper(), int(match.group(2))
        else:  # references are optional in the format: the cell follows the previous one
            letters = get_column_letter(col + 1)
        col = _column_index(letters) + 1
        if any(_local(child) == "f" for child in element):
            return row, letters
    return None


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


# -- .ods -----------------------------------------------------------------------------------------------------
def _ods(archive: zipfile.ZipFile) -> tuple[str, int, str] | None:
    content = archive.read("content.xml")
    if b"formula" not in content:  # the attribute's name, whatever its prefix
        return None
    formula, repeat_rows, repeat_cols = (f"{{{_ODS_TABLE}}}{name}" for name in ("formula", "number-rows-repeated",
                                                                               "number-columns-repeated"))  # fmt: skip
    table, row, col = "", 0, 0
    tags = ("{*}table", "{*}table-row", "{*}table-cell", "{*}covered-table-cell")
    for event, element in _iterparse(content, tags):
        local = _local(element)
        if event == "end":
            if local == "table-row":
                row += int(element.get(repeat_rows, "1") or 1) - 1
                element.clear()
            continue
        if local == "table":
            table, row = element.get(f"{{{_ODS_TABLE}}}name", ""), 0
        elif local == "table-row":
            row, col = row + 1, 0
        else:
            if element.get(formula) is not None:
                return table, row, get_column_letter(col + 1)
            col += int(element.get(repeat_cols, "1") or 1)
    return None


# -- .xls -----------------------------------------------------------------------------------------------------
def _xls(data: bytes) -> tuple[str, int, str] | None:
    try:
        ole = olefile.OleFileIO(data)
    except OSError:
        return None  # not an OLE file after all: calamine refuses it as damaged
    with ole:
        stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
        if stream is None:
            return None
        records = ole.openstream(stream).read()
    return _biff_formula_cell(records)


def _biff_formula_cell(records: bytes) -> tuple[str, int, str] | None:
    """Walk the BIFF records: sheet names from BOUNDSHEET, the sheet a record is in from the BOF before it."""
    offsets: dict[int, str] = {}
    sheet, biff8, pos, end = "", True, 0, len(records)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", records, pos)
        body = records[pos + 4 : pos + 4 + size]
        if kind == _BOF:
            if pos == 0 and len(body) >= 2:
                biff8 = struct.unpack_from("<H", body)[0] == 0x0600
            sheet = offsets.get(pos, sheet)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            offsets[struct.unpack_from("<I", body)[0]] = _sheet_name(body, biff8)
        elif kind in _FORMULAS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            return sheet, row + 1, get_column_letter(col + 1)
        pos += 4 + size
    return None


def _sheet_name(body: bytes, biff8: bool) -> str:
    length = body[6]
    if not biff8:
        return body[7 : 7 + length].decode("cp1252", "replace")
    if body[7] & 1:
        return body[8 : 8 + 2 * length].decode("utf-16-le", "replace")
    return body[8 : 8 + length].decode("latin-1")
