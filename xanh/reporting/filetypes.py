"""What an uploaded evidence file really is, from its bytes, not its name (pure, no Django).

Accepted: PDF, DOCX, XLSX, PNG, JPEG, WebP. A DOCX or XLSX is a ZIP container; it is accepted only if the container
holds the part that makes it a Word document (``word/document.xml``) or a workbook (``xl/workbook.xml``), so a renamed
archive or executable is refused. Legacy .doc/.xls (OLE2) are refused: they carry macros and cannot be previewed safely.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = FileKind(
    "docx",
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    "xlsx",
    "Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PNG = FileKind("png", "Ảnh PNG", "image/png", (".png",))
JPEG = FileKind("jpeg", "Ảnh JPEG", "image/jpeg", (".jpg", ".jpeg"))
WEBP = FileKind("webp", "Ảnh WebP", "image/webp", (".webp",))

ACCEPTED: tuple[FileKind, ...] = (PDF, DOCX, XLSX, PNG, JPEG, WEBP)
ACCEPTED_EXTENSIONS: tuple[str, ...] = tuple(ext for kind in ACCEPTED for ext in kind.extensions)


class FileTypeError(ValueError):
    """The file is not an accepted evidence type; ``str(error)`` says why in Vietnamese."""


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def _zip_kind(content: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(content: bytes) -> FileKind | None:
    """The accepted kind ``content`` is, judged by magic bytes (and ZIP parts for Office files), or None."""
    head = content[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return None


def check_evidence(filename: str, content: bytes, *, max_bytes: int) -> FileKind:
    """The kind of an evidence upload, or ``FileTypeError`` if it is empty, too large, not an accepted type, or its
    name claims a different type than its content."""
    size = len(content)
    if size == 0:
        raise FileTypeError(f"tệp «{filename}» rỗng")
    if size > max_bytes:
        raise FileTypeError(
            f"tệp «{filename}» có dung lượng {_megabytes(size)} MB, vượt giới hạn {_megabytes(max_bytes)} MB"
        )
    extension = _extension(filename)
    if extension not in ACCEPTED_EXTENSIONS:
        raise FileTypeError(
            f"tệp «{filename}» có đuôi «{extension or 'không có'}» không được chấp nhận; "
            f"chỉ nhận {', '.join(ACCEPTED_EXTENSIONS)}"
        )
    kind = sniff(content)
    if kind is None:
        raise FileTypeError(
            f"nội dung tệp «{filename}» không phải là PDF, DOCX, XLSX hay ảnh (PNG, JPEG, WebP) hợp lệ"
        )
    if extension not in kind.extensions:
        raise FileTypeError(
            f"tệp «{filename}» mang đuôi {extension} nhưng nội dung là {kind.label}; hãy đổi tên cho đúng loại tệp"
        )
    return kind


def _megabytes(size: int) -> str:
    text = f"{size / (1024 * 1024):.1f}"
    return text.replace(".", ",")
