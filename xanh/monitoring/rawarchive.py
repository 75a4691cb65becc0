"""The raw-file archive: the received bytes of a chunk of station files as one plain POSIX tar (pure, no Django).

A province-day is 14,400 small files; renaming each into a dated folder cost one rename, one stat and one path build
per file (and a 4 KiB disk block for a 300-byte file). Instead, each ingested chunk is written as one tar file, and
each file's log (IngestedFile) records the tar, the member's data offset and its size, so the raw content of any
file is one seek and one read away (`read_member`) and the archive can still be opened with any `tar` tool.

Headers are written here directly (ustar, regular files, mode 0644) because `tarfile.TarInfo.tobuf` costs more per
member than everything else the archive does; `tarfile` reads the result (tested).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

BLOCK: Final = 512
_NAME_BYTES: Final = 100
_END: Final = b"\0" * (2 * BLOCK)


def member_name(safe_name: str, sha256: str) -> str:
    """The member name of a file: the first 12 hex digits of its SHA-256 and its base name, at most 100 bytes."""
    base = safe_name.replace("\\", "/").rsplit("/", 1)[-1] or "tep"
    name = f"{sha256[:12]}_{base}"
    encoded = name.encode("utf-8")
    if len(encoded) > _NAME_BYTES:
        name = encoded[:_NAME_BYTES].decode("utf-8", "ignore")
    return name


def _header(name: str, size: int, mtime: int) -> bytes:
    """One ustar header block (the reference implementation; `build_tar` assembles the same bytes faster)."""
    encoded = name.encode("utf-8")[:_NAME_BYTES]
    head = bytearray(BLOCK)
    head[0 : len(encoded)] = encoded
    head[100:108] = b"0000644\0"
    head[108:116] = b"0000000\0"
    head[116:124] = b"0000000\0"
    head[124:136] = b"%011o\0" % size
    head[136:148] = b"%011o\0" % mtime
    head[148:156] = b"        "  # checksum field counts as spaces
    head[156] = 0x30  # regular file
    head[257:265] = b"ustar\x0000"
    head[148:156] = b"%06o\0 " % sum(head)
    return bytes(head)


def build_tar(members: Sequence[tuple[str, bytes]], mtime: int) -> tuple[bytes, list[int]]:
    """The bytes of a tar holding `members` (name, content) and the data offset of each member.

    A header is the name, fixed fields, the size, the mtime, the checksum and fixed fields again; only the name, the
    size and the checksum vary, so the fixed parts and their share of the checksum are computed once."""
    modes = b"0000644\0" + b"0000000\0" + b"0000000\0"
    time_field = b"%011o\0" % mtime
    tail = (b"0" + b"\0" * 100 + b"ustar\x0000").ljust(BLOCK - 156, b"\0")
    fixed_sum = sum(modes) + sum(time_field) + sum(tail) + 8 * 32
    parts: list[bytes] = []
    offsets: list[int] = []
    position = 0
    for name, content in members:
        encoded = name.encode("utf-8")[:_NAME_BYTES]
        size = len(content)
        size_field = b"%011o\0" % size
        checksum = fixed_sum + sum(encoded) + sum(size_field)
        parts.append(
            encoded.ljust(_NAME_BYTES, b"\0") + modes + size_field + time_field + b"%06o\0 " % checksum + tail
        )
        position += BLOCK
        offsets.append(position)
        parts.append(content)
        padding = -size % BLOCK
        if padding:
            parts.append(b"\0" * padding)
        position += size + padding
    parts.append(_END)
    return b"".join(parts), offsets


def write_tar(
    path: Path, members: Sequence[tuple[str, bytes]], mtime: int, *, sync: bool = True
) -> list[int]:
    """Write the tar at `path` (created with its folders; written to a temporary name then renamed, so a reader
    never sees half a tar); returns the data offset of each member. With `sync=False` the caller calls
    `sync_file(path)` later (the disk write then overlaps other work)."""
    data, offsets = build_tar(members, mtime)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with open(partial, "wb") as handle:
        handle.write(data)
        if sync:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(partial, path)
    return offsets


def sync_file(path: Path) -> None:
    """Flush a written archive to disk (before the logs that point at it are committed)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_member(path: Path, offset: int, size: int) -> bytes:
    """The content of the member whose data starts at `offset`."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read(size)
    if len(data) != size:
        raise OSError(
            f"{path}: bản lưu bị cắt ngắn (cần {size} byte từ vị trí {offset}, đọc được {len(data)})"
        )
    return data
