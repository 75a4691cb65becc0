"""Text extraction from .txt, .docx and text-based .pdf files.

Every failure raises an :class:`~.errors.ExtractionError` subclass whose ``message`` is Vietnamese
and says what is wrong: empty file, binary content, unknown encoding, corrupt Word or PDF file,
a PDF without a text layer (a scan: OCR is out of scope), a file over the size limit.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import (
    BinaryFileError,
    CorruptDocxError,
    CorruptPdfError,
    EmptyFileError,
    EncodingError,
    FileTooLargeError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from .text import normalise_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "ExtractedText",
    "decode_text",
    "extract_bytes",
    "extract_file",
]

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """The text of a file (normalised) and how it was read."""

    text: str
    format: str  # "txt" | "docx" | "pdf"
    encoding: str | None  # for .txt: "UTF-8", "UTF-16" or "Windows-1258"
    size: int
    sha256: str
    pages: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _format_mb(size: int) -> str:
    value = size / (1024 * 1024)
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def extract_file(path: str | Path, *, max_bytes: int | None = None) -> ExtractedText:
    path = Path(path)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise EmptyFileError("không tìm thấy tệp.", filename=path.name) from None
    if size > limit:
        raise FileTooLargeError(
            f"dung lượng {_format_mb(size)} MB vượt giới hạn {_format_mb(limit)} MB.", filename=path.name
        )
    return extract_bytes(path.read_bytes(), path.name, max_bytes=limit)


def extract_bytes(data: bytes, filename: str, *, max_bytes: int | None = None) -> ExtractedText:
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise FileTooLargeError(
            f"dung lượng {_format_mb(len(data))} MB vượt giới hạn {_format_mb(limit)} MB.", filename=filename
        )
    if not data:
        raise EmptyFileError("tệp rỗng (0 byte).", filename=filename)
    suffix = Path(filename).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    notes: list[str] = []
    kind = _sniff(data)
    if suffix == ".doc" or kind == "ole":
        raise UnsupportedFormatError(
            "định dạng Word cũ (.doc) chưa được hỗ trợ; hãy mở bằng Word và lưu thành .docx.",
            filename=filename,
        )
    if suffix not in SUPPORTED_SUFFIXES and kind is None:
        raise UnsupportedFormatError(
            f"định dạng «{suffix or 'không có phần mở rộng'}» chưa được hỗ trợ; chỉ nhận .txt, .docx, .pdf.",
            filename=filename,
        )
    fmt = {".txt": "txt", ".docx": "docx", ".pdf": "pdf"}.get(suffix, kind or "txt")
    if kind == "pdf" and fmt != "pdf":
        notes.append(f"Tệp có đuôi «{suffix}» nhưng nội dung là PDF; đã đọc như PDF.")
        fmt = "pdf"
    elif kind == "zip" and fmt == "txt":
        notes.append(f"Tệp có đuôi «{suffix}» nhưng nội dung là Word (.docx); đã đọc như .docx.")
        fmt = "docx"
    if fmt == "pdf":
        text, pages = _pdf_text(data, filename)
        return ExtractedText(text, "pdf", None, len(data), digest, pages, tuple(notes))
    if fmt == "docx":
        text = _docx_text(data, filename)
        return ExtractedText(text, "docx", None, len(data), digest, None, tuple(notes))
    text, encoding = decode_text(data, filename)
    if encoding != "UTF-8":
        notes.append(f"Tệp không phải UTF-8; đã đọc theo bảng mã {encoding}.")
    return ExtractedText(text, "txt", encoding, len(data), digest, None, tuple(notes))


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    return None


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    return bad / len(text)


def decode_text(data: bytes, filename: str = "") -> tuple[str, str]:
    """Decode plain text: UTF-8 (with or without BOM), then UTF-16 (BOM or obvious), then Windows-1258."""
    name = filename or None
    text: str | None = None
    encoding = ""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="strict"), "UTF-8"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise EncodingError("tệp khai báo UTF-16 nhưng nội dung không đọc được.", filename=name) from None
    elif len(data) >= 8 and data.count(b"\x00") >= len(data) // 4:
        odd_nuls = data[1::2].count(0)
        even_nuls = data[0::2].count(0)
        codec = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            candidate = data.decode(codec)
        except UnicodeDecodeError:
            candidate = ""
        if candidate and _control_ratio(candidate) < 0.01:
            text, encoding = candidate, "UTF-16"
        else:
            raise BinaryFileError(
                "tệp chứa dữ liệu nhị phân, không phải văn bản; hãy tải lên .txt, .docx hoặc .pdf.",
                filename=name,
            )
    elif b"\x00" in data:
        raise BinaryFileError(
            "tệp chứa dữ liệu nhị phân, không phải văn bản; hãy tải lên .txt, .docx hoặc .pdf.", filename=name
        )
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1258"), "Windows-1258"
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"không đọc được bảng mã (đã thử UTF-8, UTF-16, Windows-1258; byte lỗi ở vị trí {exc.start}).",
                    filename=name,
                ) from None
    if _control_ratio(text) > 0.01:
        raise BinaryFileError(
            "tệp chứa nhiều ký tự điều khiển, không phải văn bản thông thường.", filename=name
        )
    text = normalise_text(text)
    if not text.strip():
        raise EmptyFileError("tệp không có nội dung văn bản (chỉ có khoảng trắng).", filename=name)
    return text, encoding


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


def _roman(value: int) -> str:
    table = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for number, letters in table:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def _letter(value: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    value = max(1, value)
    out = ""
    while value:
        value, rem = divmod(value - 1, 26)
        out = letters[rem] + out
    return out


def _format_counter(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letter(value)
    if fmt == "upperLetter":
        return _letter(value).upper()
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


class _Numbering:
    """Renders Word automatic numbering ("1.", "1.1.", "a)") that python-docx leaves out of the text."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numpr: dict[str, tuple[str, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            numbering = None
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        if numbering is not None:
            for node in numbering.findall(f"{_W}abstractNum"):
                levels: dict[int, tuple[str, str, int]] = {}
                for lvl in node.findall(f"{_W}lvl"):
                    ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                    fmt_node = lvl.find(f"{_W}numFmt")
                    text_node = lvl.find(f"{_W}lvlText")
                    start_node = lvl.find(f"{_W}start")
                    levels[ilvl] = (
                        fmt_node.get(f"{_W}val", "decimal") if fmt_node is not None else "decimal",
                        text_node.get(f"{_W}val", "") if text_node is not None else "",
                        int(start_node.get(f"{_W}val", "1")) if start_node is not None else 1,
                    )
                abstract[node.get(f"{_W}abstractNumId", "")] = levels
            for num in numbering.findall(f"{_W}num"):
                ref = num.find(f"{_W}abstractNumId")
                if ref is None:
                    continue
                levels = dict(abstract.get(ref.get(f"{_W}val", ""), {}))
                for override in num.findall(f"{_W}lvlOverride"):
                    ilvl = int(override.get(f"{_W}ilvl", "0"))
                    start = override.find(f"{_W}startOverride")
                    if start is not None and ilvl in levels:
                        fmt, text, _ = levels[ilvl]
                        levels[ilvl] = (fmt, text, int(start.get(f"{_W}val", "1")))
                self.levels[num.get(f"{_W}numId", "")] = levels
        try:
            styles = document.styles.element
        except AttributeError:
            styles = None
        if styles is not None:
            for style in styles.findall(f"{_W}style"):
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is None:
                    continue
                num_id = numpr.find(f"{_W}numId")
                ilvl = numpr.find(f"{_W}ilvl")
                if num_id is not None:
                    self.style_numpr[style.get(f"{_W}styleId", "")] = (
                        num_id.get(f"{_W}val", ""),
                        int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0,
                    )

    def label(self, paragraph: Any) -> str:
        ppr = paragraph.find(f"{_W}pPr")
        num_id: str | None = None
        ilvl = 0
        if ppr is not None:
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None:
                id_node = numpr.find(f"{_W}numId")
                lvl_node = numpr.find(f"{_W}ilvl")
                num_id = id_node.get(f"{_W}val") if id_node is not None else None
                ilvl = int(lvl_node.get(f"{_W}val", "0")) if lvl_node is not None else 0
            if num_id is None:
                style = ppr.find(f"{_W}pStyle")
                if style is not None and style.get(f"{_W}val", "") in self.style_numpr:
                    num_id, ilvl = self.style_numpr[style.get(f"{_W}val", "")]
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, template, _ = levels[ilvl]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt = levels.get(level, ("decimal", "", 1))[0]
            value = counters.get(level, levels.get(level, ("decimal", "", 1))[2])
            return _format_counter(value, level_fmt)

        return re.sub(r"%(\d)", render, template)


def _paragraph_text(node: Any) -> str:
    parts: list[str] = []
    for el in node.iter():
        tag = el.tag
        if tag == f"{_W}t" and el.text:
            parts.append(el.text)
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _docx_text(data: bytes, filename: str) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CorruptDocxError("tệp Word (.docx) bị hỏng hoặc không phải tệp Word.", filename=filename)
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        out: list[str] = []
        for child in document.element.body.iterchildren():
            if child.tag == f"{_W}p":
                text = _paragraph_text(child)
                label = numbering.label(child)
                out.append(f"{label} {text}".strip() if label else text)
            elif child.tag == f"{_W}tbl":
                out.extend(_table_rows(child))
    except CorruptDocxError:
        raise
    except Exception:  # python-docx raises many kinds of errors on damaged packages
        raise CorruptDocxError(
            "tệp Word (.docx) bị hỏng, không đọc được nội dung; hãy mở bằng Word, lưu lại rồi tải lên.",
            filename=filename,
        ) from None
    text = normalise_text("\n".join(out))
    if not text.strip():
        raise EmptyFileError("tệp Word không có nội dung văn bản.", filename=filename)
    return text


def _table_rows(table: Any) -> list[str]:
    rows: list[str] = []
    for tr in table.findall(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            nested = tc.findall(f"{_W}tbl")
            paragraphs = [" ".join(_paragraph_text(p).split()) for p in tc.findall(f"{_W}p")]
            text = " ".join(p for p in paragraphs if p)
            if nested:
                text = " ".join([text, *(" ".join(_table_rows(t)) for t in nested)]).strip()
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if vmerge is not None and vmerge.get(f"{_W}val") != "restart" and not text:
                text = ""
            cells.append(text)
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-–]\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–])?\s*$")
_NEW_PARAGRAPH_RE = re.compile(
    r"^\s*(?:[IVX]{1,6}\s*[.:)\-–]|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]|[a-zđ]\s*\)|\(\d{1,2}\)|[-–—+•*]\s|"
    r"Điều\s+\d|Căn cứ|CĂN CỨ|Nơi nhận|Số\s*:|[^\W\d_][^,\n]{1,40},\s*ngày\s+\d|[A-ZĐÀ-Ỹ ,\-–]{6,}$)"
)


def reflow_pdf_lines(text: str) -> str:
    """Join the visual lines of a PDF back into paragraphs; drop bare page numbers."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if _PAGE_NUMBER_RE.match(line):
            continue
        previous = out[-1] if out else ""
        heading_above = previous.upper() == previous and any(ch.isalpha() for ch in previous)
        if (
            previous
            and not previous.endswith((".", ":", ";", "!", "?"))
            and not heading_above
            and not _NEW_PARAGRAPH_RE.match(line)
        ):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return "\n".join(line for line in out if line)


def _pdf_text(data: bytes, filename: str) -> tuple[str, int]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise CorruptPdfError(
                        "tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.", filename=filename
                    )
            except CorruptPdfError:
                raise
            except Exception:
                raise CorruptPdfError(
                    "tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.", filename=filename
                ) from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except CorruptPdfError:
        raise
    except Exception:  # pypdf raises many kinds of errors on damaged files
        raise CorruptPdfError(
            "tệp PDF bị hỏng, không đọc được nội dung; hãy xuất lại PDF từ văn bản gốc.", filename=filename
        ) from None
    if not pages:
        raise CorruptPdfError("tệp PDF không có trang nào.", filename=filename)
    raw = "\n".join(pages)
    letters = sum(1 for ch in raw if ch.isalpha())
    if letters < max(20, 5 * len(pages)):
        raise NoTextLayerError(
            "tệp PDF không có lớp văn bản (có thể là bản quét ảnh). Xanh chưa hỗ trợ nhận dạng chữ (OCR); "
            "hãy tải lên bản .docx hoặc PDF xuất từ văn bản gốc.",
            filename=filename,
        )
    return normalise_text(reflow_pdf_lines(unicodedata.normalize("NFC", raw))), len(pages)
