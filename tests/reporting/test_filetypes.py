"""Evidence files are judged by their bytes, not their names (pure)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xanh.reporting.filetypes import FileTypeError, check_evidence, sniff

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 16


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bien-ban.pdf", PDF, "pdf"),
        ("anh.PNG", PNG, "png"),
        ("anh.jpeg", JPEG, "jpeg"),
        ("anh.jpg", JPEG, "jpeg"),
        ("anh.webp", WEBP, "webp"),
        ("bao-cao.docx", office("word/document.xml"), "docx"),
        ("so-lieu.xlsx", office("xl/workbook.xml"), "xlsx"),
    ],
)
def test_accepted(name, content, kind):
    assert check_evidence(name, content, max_bytes=10_000).code == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 40, "không phải là PDF"),
        ("ban-ve.docx", office("xl/workbook.xml"), "mang đuôi .docx nhưng nội dung là Excel"),
        ("tai-lieu.docx", office("other.xml"), "không phải là PDF"),
        ("chay.exe", PDF, "không được chấp nhận"),
        ("khong-duoi", PDF, "không được chấp nhận"),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "không được chấp nhận"),
        ("rong.pdf", b"", "rỗng"),
        ("lon.pdf", PDF + b"x" * 20_000, "vượt giới hạn"),
        ("anh.png", PDF, "mang đuôi .png nhưng nội dung là PDF"),
    ],
)
def test_refused(name, content, message):
    with pytest.raises(FileTypeError, match=message):
        check_evidence(name, content, max_bytes=10_000)


@given(st.binary(max_size=64))
def test_random_bytes_are_never_taken_for_office_files(data):
    kind = sniff(data)
    assert kind is None or kind.code in {"pdf", "png", "jpeg", "webp"}
