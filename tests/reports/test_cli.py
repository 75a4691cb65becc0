"""`xanh report synthesize --plan ID --period 2025 --format docx|xlsx|pdf -o FILE`."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "synthesize", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_docx_with_a_progress_bar(demo, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "bao-cao.docx"
    out, _ = _run(
        "--plan", str(demo["plan"].pk), "--period", "2024", "-o", str(target), "--date", "2025-11-20"
    )
    assert out.startswith(f"Đã ghi {target} (")
    assert "10 mục tiêu, 15 nhiệm vụ" in out
    bar = capsys.readouterr().err
    assert "100%" in bar and "Xong" in bar
    document = docx.Document(str(target))
    assert "Lục Vân, ngày 20 tháng 11 năm 2025" in document.tables[0].rows[0].cells[1].text


def test_xlsx_and_format_from_the_option(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "phu-luc.bin"
    _run(
        "--plan",
        str(demo["plan"].pk),
        "--period",
        "2024",
        "--format",
        "xlsx",
        "-o",
        str(target),
        "--no-progress",
    )
    wb = load_workbook(io.BytesIO(target.read_bytes()))
    assert wb.sheetnames[:2] == ["Phụ lục 1 - Mục tiêu", "Phụ lục 2 - Nhiệm vụ"]
    codes = {row[2] for row in wb["Phụ lục 2 - Nhiệm vụ"].iter_rows(min_row=2, values_only=True)}
    assert set(demo["plan"].tasks.values_list("code", flat=True)) == codes


def test_pdf_of_the_demo_keeps_its_diacritics(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "bao-cao.pdf"
    _run("--plan", str(demo["plan"].pk), "--period", "2024", "-o", str(target), "--no-progress")
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(str(target)).pages)
    for phrase in (
        "Độc lập - Tự do - Hạnh phúc",
        "Tỷ lệ che phủ rừng đạt 42%",
        "Sở Nông nghiệp và Môi trường",
    ):
        assert "".join(phrase.split()) in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "999999", "--period", "2024", "-o", "x.docx"], "Không có kế hoạch có mã 999999"),
        (["--period", "2019", "-o", "x.docx"], "nằm ngoài giai đoạn của kế hoạch"),
        (["--period", "2024", "-o", "x.odt"], "Định dạng «odt» không hỗ trợ"),
        (["--period", "2024", "-o", "x"], "Chưa chọn định dạng"),
        (["--period", "2024", "-o", "/khong-co-thu-muc/x.docx"], "không tồn tại"),
    ],
)
def test_errors_are_in_vietnamese(demo, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    if "--plan" not in args:
        args = ["--plan", str(demo["plan"].pk), *args]
    with pytest.raises(CommandError, match=message):
        _run(*args, "--no-progress")
