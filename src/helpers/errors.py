"""Errors for tables that cannot be read or do not meet their schema."""

from __future__ import annotations

from pathlib import Path


class TableError(ValueError):
    """An invalid table, located by file, row and column, with what to do about it.

    ``row`` is the line number in the file as an editor shows it (the header is line 1).
    """

    default_action = "correct the file and run again"

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        action: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.row = row
        self.column = column
        self.value = value
        self.action = action or self.default_action
        super().__init__(self._format())

    def _format(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = "" if self.value is None else f" (value {str(self.value)!r})"
        return f"{', '.join(where)}: {self.problem}{value}; {self.action}"


class RawDataError(TableError):
    """Invalid raw input in ``data/raw/``: the file must be corrected against its
    source."""

    default_action = "correct the file against its source and run again"


class ProcessedTableError(TableError):
    """A processed table in ``data/processed/`` that differs from its documentation
    in ``helpers/processed.py``: the notebook that writes it must be fixed."""

    default_action = (
        "fix the notebook that writes this table, or update helpers/processed.py "
        "and helpers/schemas.py together with it"
    )
