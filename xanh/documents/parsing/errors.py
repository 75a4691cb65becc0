"""Typed extraction errors. Each carries a Vietnamese message that can be shown to the user as is."""

from __future__ import annotations

__all__ = [
    "BinaryFileError",
    "CorruptDocxError",
    "CorruptPdfError",
    "EmptyFileError",
    "EncodingError",
    "ExtractionError",
    "FileTooLargeError",
    "NoTextLayerError",
    "UnsupportedFormatError",
]


class ExtractionError(Exception):
    """The file cannot be turned into text. ``message`` is Vietnamese, ``code`` is stable."""

    code = "extraction"

    def __init__(self, message: str, *, filename: str | None = None) -> None:
        self.message = f"Tệp «{filename}»: {message}" if filename else message
        self.filename = filename
        super().__init__(self.message)


class EmptyFileError(ExtractionError):
    code = "empty"


class BinaryFileError(ExtractionError):
    code = "binary"


class EncodingError(ExtractionError):
    code = "encoding"


class NoTextLayerError(ExtractionError):
    code = "no_text_layer"


class CorruptDocxError(ExtractionError):
    code = "corrupt_docx"


class CorruptPdfError(ExtractionError):
    code = "corrupt_pdf"


class UnsupportedFormatError(ExtractionError):
    code = "unsupported_format"


class FileTooLargeError(ExtractionError):
    code = "too_large"
