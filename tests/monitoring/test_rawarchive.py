"""The raw-file archive (pure): standard tar members, read back by offset."""

from __future__ import annotations

import io
import tarfile

import pytest

from xanh.monitoring import rawarchive


def test_tar_is_standard_and_members_are_read_by_offset(tmp_path) -> None:  # type: ignore[no-untyped-def]
    members = [
        ("aaaaaaaaaaaa_TN_STNMT_KK01_20250310000500.txt", b"PM10\t40\tug/m3\t20250310000500\t00\n"),
        ("bbbbbbbbbbbb_empty.txt", b""),
        ("cccccccccccc_Trạm_Hà_Nội.csv", "trạm,thông số\n".encode() * 100),
        ("dddddddddddd_block.txt", b"x" * 512),
    ]
    path = tmp_path / "2025" / "03" / "10" / "1-0001.tar"
    offsets = rawarchive.write_tar(path, members, mtime=1_700_000_000)
    for (_, content), offset in zip(members, offsets, strict=True):
        assert rawarchive.read_member(path, offset, len(content)) == content
    with tarfile.open(path) as archive:
        found = [(m.name, archive.extractfile(m).read(), m.mtime) for m in archive.getmembers()]  # type: ignore[union-attr]
    assert found == [(n, c, 1_700_000_000) for n, c in members]
    assert not path.with_name(path.name + ".part").exists()


def test_member_names_fit_the_tar_header() -> None:
    name = rawarchive.member_name("thư mục/" + "Trạm" * 40 + ".txt", "f" * 64)
    assert name.startswith("ffffffffffff_Trạm") and len(name.encode()) <= 100
    data, _ = rawarchive.build_tar([(name, b"1")], mtime=0)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        assert archive.getnames() == [name]


def test_truncated_archive_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.tar"
    offsets = rawarchive.write_tar(path, [("a", b"12345")], mtime=0)
    with pytest.raises(OSError, match="bị cắt ngắn"):
        rawarchive.read_member(path, offsets[0], 100_000)


def test_fast_headers_equal_the_reference_headers() -> None:
    members = [("a" * 100, b"x" * 700), ("Trạm_1.txt", b""), ("b.txt", b"12345")]
    data, offsets = rawarchive.build_tar(members, mtime=1_732_000_000)
    for (name, content), offset in zip(members, offsets, strict=True):
        assert data[offset - 512 : offset] == rawarchive._header(name, len(content), 1_732_000_000)
