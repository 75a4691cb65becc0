"""Errors that name where bad input is: file, row, column or field. Shared by every importer (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None
    column: str | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột/trường «{self.column}»")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ValidationFailed(Exception):
    """Raised when input is rejected as a whole; nothing has been written."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
