"""Text extraction from .txt/.docx/.pdf and the typed Vietnamese errors (pure, no database)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from xanh.documents.parsing import (
    BinaryFileError,
    CorruptDocxError,
    CorruptPdfError,
    EmptyFileError,
    ExtractionError,
    FileTooLargeError,
    NoTextLayerError,
    UnsupportedFormatError,
    extract_bytes,
    extract_file,
    parse_text,
)
from xanh.documents.parsing.extract import decode_text, reflow_pdf_lines


def _cp1258(text: str) -> bytes:
    """Windows-1258 has â, ê, ô, ă, ơ, ư precomposed but writes the five tones as combining marks."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in "\u0302\u0306\u031b" and out:
            base = len(out) - 1
            while base > 0 and unicodedata.combining(out[base]):
                base -= 1  # "ộ" is o + dot below + circumflex: the circumflex belongs to the o
            out[base] = unicodedata.normalize("NFC", out[base] + ch)
        else:
            out.append(ch)
    return "".join(out).encode("cp1258")


SAMPLE = "KẾ HOẠCH\nTăng trưởng xanh tỉnh Lâm Sơn\n1. Sở Tài chính: chủ trì.\n- Tỷ lệ che phủ rừng đạt 42%."


# ---------------------------------------------------------------------------------------------
# Plain text and encodings
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "UTF-8"),
        (SAMPLE.encode("utf-16"), "UTF-16"),
        (SAMPLE.encode("utf-16-le"), "UTF-16"),
        (SAMPLE.encode("utf-16-be"), "UTF-16"),
        (_cp1258(SAMPLE), "Windows-1258"),
    ],
)
def test_txt_encodings_are_detected_and_reported(data: bytes, encoding: str) -> None:
    extracted = extract_bytes(data, "ke-hoach.txt")
    assert extracted.text == SAMPLE
    assert extracted.encoding == encoding
    assert extracted.format == "txt"
    if encoding != "UTF-8":
        assert any(encoding in note for note in extracted.notes)


def test_windows_1258_combining_marks_are_composed() -> None:
    # Windows-1258 writes tones as combining marks; the text must come out in NFC.
    extracted = extract_bytes(_cp1258("Tiếng Việt có dấu"), "a.txt")
    assert extracted.text == "Tiếng Việt có dấu"


def test_crlf_and_zero_width_characters_are_normalised() -> None:
    extracted = extract_bytes("Dòng 1\r\nDòng\u200b 2\u00a0\r\n".encode(), "a.txt")
    assert extracted.text == "Dòng 1\nDòng 2"


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyFileError, "rỗng"),
        (b"   \n\t  \n", EmptyFileError, "không có nội dung"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", BinaryFileError, "nhị phân"),
        (bytes(range(256)) * 4, BinaryFileError, "nhị phân"),
        (b"\x01\x02\x03\x04abc\x05\x06\x07" * 20, BinaryFileError, "ký tự điều khiển"),
    ],
)
def test_bad_txt_files_get_a_clear_vietnamese_message(
    data: bytes, error: type[ExtractionError], words: str
) -> None:
    with pytest.raises(error) as caught:
        extract_bytes(data, "ke-hoach.txt")
    assert words in caught.value.message
    assert "ke-hoach.txt" in caught.value.message


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "lon.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(FileTooLargeError) as caught:
        extract_file(path, max_bytes=1024)
    assert "vượt giới hạn" in caught.value.message
    with pytest.raises(FileTooLargeError):
        extract_bytes(b"a" * 2048, "lon.txt", max_bytes=1024)


@pytest.mark.parametrize("name", ["ke-hoach.doc", "bang.xlsx", "anh.png"])
def test_unsupported_formats(name: str) -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        extract_bytes(b"\xd0\xcf\x11\xe0 old word" if name.endswith(".doc") else b"x", name)
    assert "chưa được hỗ trợ" in caught.value.message


def test_sha256_identifies_identical_content() -> None:
    first = extract_bytes(SAMPLE.encode(), "a.txt")
    second = extract_bytes(SAMPLE.encode(), "b.txt")
    assert first.sha256 == second.sha256
    assert first.size == len(SAMPLE.encode())


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_arbitrary_bytes_either_decode_or_raise_a_typed_error(data: bytes) -> None:
    try:
        text, encoding = decode_text(data, "x.txt")
    except ExtractionError as exc:
        assert exc.message
    else:
        assert text.strip()
        assert encoding in ("UTF-8", "UTF-16", "Windows-1258")


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH LÂM SƠN")
    document.add_paragraph("Số: 12/KH-UBND")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030", style="List Number")
    document.add_paragraph("Tỷ lệ che phủ rừng đạt 42%.", style="List Bullet")
    document.add_paragraph("NHIỆM VỤ, GIẢI PHÁP", style="List Number")
    table = document.add_table(rows=2, cols=4)
    for i, value in enumerate(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"]):
        table.cell(0, i).text = value
    for i, value in enumerate(["1", "Kiểm kê khí nhà kính", "Sở Nông nghiệp và Môi trường", "Sở Tài chính"]):
        table.cell(1, i).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_numbering_and_tables_in_order() -> None:
    extracted = extract_bytes(_docx_bytes(), "ke-hoach.docx")
    lines = extracted.text.split("\n")
    assert lines[3] == "1. MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030"  # Word automatic numbering is rendered
    assert lines[4] == "- Tỷ lệ che phủ rừng đạt 42%."
    assert lines[5] == "2. NHIỆM VỤ, GIẢI PHÁP"
    assert lines[-1] == "1 | Kiểm kê khí nhà kính | Sở Nông nghiệp và Môi trường | Sở Tài chính"
    draft = parse_text(extracted.text)
    assert draft.document.number == "12/KH-UBND"
    assert [t.components[0].value for t in draft.targets] == [42]
    assert [(t.lead, t.coordinating) for t in draft.tasks] == [
        (["Sở Nông nghiệp và Môi trường"], ["Sở Tài chính"])
    ]


def test_docx_with_wrong_suffix_is_read_as_docx() -> None:
    extracted = extract_bytes(_docx_bytes(), "ke-hoach.txt")
    assert extracted.format == "docx"
    assert extracted.notes


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip file",
        b"not a zip at all",
    ],
)
def test_corrupt_docx(data: bytes) -> None:
    with pytest.raises(CorruptDocxError) as caught:
        extract_bytes(data, "hong.docx")
    assert "bị hỏng" in caught.value.message


def test_zip_without_word_document_is_corrupt_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(CorruptDocxError):
        extract_bytes(buffer.getvalue(), "hong.docx")


def test_empty_docx() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(EmptyFileError):
        extract_bytes(buffer.getvalue(), "trong.docx")


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def _pdf_with_text() -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    html = (
        "<html><body style='font-family: DejaVu Sans'>"
        "<p>ỦY BAN NHÂN DÂN TỈNH LÂM SƠN</p><p>Số: 21/KH-UBND</p><p>KẾ HOẠCH</p>"
        "<p>I. MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030</p><p>- Tỷ lệ che phủ rừng đạt 42%.</p>"
        "<p>II. NHIỆM VỤ, GIẢI PHÁP</p><p>1. Sở Tài chính: chủ trì xây dựng cơ chế tài chính xanh,"
        " phối hợp với Sở Công Thương.</p></body></html>"
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())


def test_text_pdf_is_extracted_and_parsed() -> None:
    extracted = extract_bytes(_pdf_with_text(), "ke-hoach.pdf")
    assert extracted.format == "pdf"
    assert extracted.pages == 1
    draft = parse_text(extracted.text)
    assert draft.document.number == "21/KH-UBND"
    assert [c.value for t in draft.targets for c in t.components] == [42]
    assert draft.tasks[0].lead == ["Sở Tài chính"]
    assert draft.tasks[0].coordinating == ["Sở Công Thương"]


def test_pdf_without_text_layer() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(NoTextLayerError) as caught:
        extract_bytes(buffer.getvalue(), "ban-quet.pdf")
    assert "không có lớp văn bản" in caught.value.message
    assert "OCR" in caught.value.message


@pytest.mark.parametrize("data", [b"%PDF-1.7\n garbage \x00\x01", b"%PDF-"])
def test_corrupt_pdf(data: bytes) -> None:
    with pytest.raises((CorruptPdfError, NoTextLayerError)) as caught:
        extract_bytes(data, "hong.pdf")
    assert caught.value.message


def test_pdf_with_wrong_suffix_is_read_as_pdf() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(NoTextLayerError):
        extract_bytes(buffer.getvalue(), "scan.txt")


def test_pdf_line_reflow() -> None:
    raw = "1. Sở Tài chính: chủ trì xây dựng\ncơ chế tài chính xanh.\n- 2 -\n2. Sở Công Thương: tham mưu."
    assert reflow_pdf_lines(raw) == (
        "1. Sở Tài chính: chủ trì xây dựng cơ chế tài chính xanh.\n2. Sở Công Thương: tham mưu."
    )
