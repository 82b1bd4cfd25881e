"""The error raised for raw input that cannot be read as it stands."""

from __future__ import annotations

from pathlib import Path


class RawDataError(ValueError):
    """Invalid raw input, located by file, row and column, with what to do about it.

    ``row`` is the line number in the file as an editor shows it (the header is line 1).
    """

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        action: str = "correct the file against its source and run again",
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.row = row
        self.column = column
        self.value = value
        self.action = action
        super().__init__(self._format())

    def _format(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = "" if self.value is None else f" (value {str(self.value)!r})"
        return f"{', '.join(where)}: {self.problem}{value}; {self.action}"
