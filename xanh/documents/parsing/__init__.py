"""Vietnamese plan-document parsing (pure Python, no Django).

``parse_text(text)`` and ``parse_file(path)`` return a :class:`PlanDraft` whose ``to_json()`` is the
contract of ``xanh plan parse --json``. ``extract_file``/``extract_bytes`` turn .txt, .docx and
text-based .pdf files into text and raise an ``ExtractionError`` with a Vietnamese message otherwise.
"""

from .errors import (
    BinaryFileError,
    CorruptDocxError,
    CorruptPdfError,
    EmptyFileError,
    EncodingError,
    ExtractionError,
    FileTooLargeError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from .extract import SUPPORTED_SUFFIXES, ExtractedText, extract_bytes, extract_file
from .model import Baseline, Component, DocumentMeta, PlanDraft, Reference, Section, Target, Task
from .numbers import parse_vn_number
from .parser import parse_file, parse_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Baseline",
    "BinaryFileError",
    "Component",
    "CorruptDocxError",
    "CorruptPdfError",
    "DocumentMeta",
    "EmptyFileError",
    "EncodingError",
    "ExtractedText",
    "ExtractionError",
    "FileTooLargeError",
    "NoTextLayerError",
    "PlanDraft",
    "Reference",
    "Section",
    "Target",
    "Task",
    "UnsupportedFormatError",
    "extract_bytes",
    "extract_file",
    "parse_file",
    "parse_text",
    "parse_vn_number",
]
