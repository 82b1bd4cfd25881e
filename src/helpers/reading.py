"""Read the raw CSV files as transcribed from their sources.

Raw files keep the source's own notation: Dutch thousands separators ("49.307"), Dutch
province names, UTF-8 with or without a byte order mark. Every cell is read as text and
converted here, so that a value the pipeline cannot read is reported with its file, row
and column instead of turning silently into a float or a missing value.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pandas as pd

from helpers.errors import RawDataError, TableError
from helpers.provinces import UnknownProvinceError, find_province, is_aggregate

HEADER_ROW = 1

# A count with Dutch grouping ("49.307"), grouping by a normal, non-breaking or narrow
# no-break space ("49 307"), or no grouping at all ("49307"). One count uses one
# separator throughout.
_GROUPED_COUNT = re.compile(
    r"[0-9]{1,3}(?:([.\u0020\u00a0\u202f])[0-9]{3})?(?:\1[0-9]{3})*"
)
_PLAIN_COUNT = re.compile(r"[0-9]+")
# Total rows as Dutch, French and English tables label them.
_TOTAL_LABELS = re.compile(
    r"^\s*(sub|eind|algemeen\s+|grand\s+)?(totaal|total|totaux|som|somme|sum)\b",
    re.IGNORECASE,
)


def file_row(index: int) -> int:
    """Return the line number in the file of the data frame row ``index`` (0-based)."""
    return index + HEADER_ROW + 1


def parse_count(text: object, *, path: str | Path, row: int, column: str) -> int:
    """Parse a count written in Dutch notation, such as "220.679", into an int.

    Raises RawDataError for a negative number, a decimal comma, a grouping that is not
    in threes, or anything else that is not a whole number.
    """
    value = str(text).strip()
    if value.startswith(("-", "\u2212")):
        raise RawDataError(
            path, "a count cannot be negative", row=row, column=column, value=text
        )
    if "," in value:
        raise RawDataError(
            path,
            "a count has no decimal comma, and a comma is not a Dutch thousands "
            "separator",
            row=row,
            column=column,
            value=text,
            action='write the whole number with "." or no separator, as in 49.307',
        )
    if _PLAIN_COUNT.fullmatch(value) or _GROUPED_COUNT.fullmatch(value):
        return int(re.sub(r"[^0-9]", "", value))
    raise RawDataError(
        path,
        "not a whole number in Dutch notation",
        row=row,
        column=column,
        value=text,
        action="write counts as 49.307, 49 307 or 49307; leave a cell empty only where "
        "the file's manifest entry allows a missing value",
    )


def read_raw_csv(path: str | Path, required_columns: list[str]) -> pd.DataFrame:
    """Read a raw CSV file as text, checking that the required columns are there.

    See ``read_text_table``; errors are RawDataError.
    """
    return read_text_table(path, required_columns)


def read_text_table(
    path: str | Path,
    required_columns: list[str],
    *,
    error_type: type[TableError] = RawDataError,
) -> pd.DataFrame:
    """Read a CSV file as text, with the file line of each record in column "_row".

    Accepts UTF-8 with or without a byte order mark and "," or ";" as delimiter.
    Empty cells stay "" and blank lines are skipped. Raises ``error_type`` for a file
    that is missing, is not UTF-8, has no header, has a header that splits on both
    delimiters, repeats or lacks a column, or has a record with another number of
    cells than the header.
    """
    path = Path(path)
    text = _decode(path, error_type)
    header_line = io.StringIO(text, newline="").readline().rstrip("\r\n")
    if not header_line.strip():
        raise error_type(path, "the file is empty or has no header row", row=1)
    delimiter = _delimiter(header_line, path, error_type)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        header = [name.strip() for name in next(reader)]
        first_line = reader.line_num + 1
        for cells in reader:
            records.append((first_line, cells))
            first_line = reader.line_num + 1
    except csv.Error as error:
        raise error_type(
            path,
            f"invalid CSV: {error}",
            row=reader.line_num,
            action="check the quotes on this line",
        ) from None

    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise error_type(
            path,
            f"the header repeats column {duplicated[0]!r}",
            row=1,
            action="give each column one header, so no value is read twice",
        )
    missing = [name for name in required_columns if name not in header]
    if missing:
        raise error_type(
            path,
            f"missing column {missing[0]!r}; the header has {', '.join(header)}",
            row=1,
            action="name the columns as the manifest data/raw/sources.yaml describes",
        )

    body = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise error_type(
                path,
                f"expected {len(header)} cells, found {len(cells)}",
                row=line,
                value=delimiter.join(cells),
                action="check for a stray delimiter or a missing value",
            )
        body.append([cell.strip() for cell in cells] + [line])
    return pd.DataFrame(body, columns=[*header, "_row"], dtype=object)


def _decode(path: Path, error_type: type[TableError]) -> str:
    """Return the text of a UTF-8 file, without a byte order mark if it has one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error_type(
            path,
            "file not found",
            action="restore it from git or the manifest's source",
        ) from None
    except OSError as error:
        raise error_type(path, f"cannot be read: {error.strerror}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise error_type(
            path,
            "the file is UTF-16, not UTF-8",
            row=1,
            action="save the file as UTF-8 (spreadsheets call it CSV UTF-8) and run "
            "again",
        )
    # Remove the byte order mark before decoding: the "utf-8-sig" codec counts an
    # error's offset from after the mark, which would name the wrong byte and line.
    bom_length = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom_length:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = bom_length + error.start
        line = data[:offset].count(b"\n") + 1
        raise error_type(
            path,
            f"not valid UTF-8 at byte {offset}",
            row=line,
            value=data[offset : offset + 8].decode("cp1252", "replace"),
            action="save the file as UTF-8 (not cp1252 or Latin-1) and run again",
        ) from None


def _delimiter(header_line: str, path: Path, error_type: type[TableError]) -> str:
    """Return ";" or "," for the header; reject a header that both would split."""
    by_semicolon = next(csv.reader([header_line], delimiter=";"))
    by_comma = next(csv.reader([header_line], delimiter=","))
    if len(by_semicolon) > 1 and len(by_comma) > 1:
        raise error_type(
            path,
            'the header contains both ";" and ",", so the delimiter is ambiguous',
            row=1,
            value=header_line,
            action='separate the columns by one delimiter, ";" or ","',
        )
    return ";" if len(by_semicolon) > 1 else ","


def convert_counts(
    frame: pd.DataFrame, columns: list[str], path: str | Path, *, optional=()
) -> pd.DataFrame:
    """Convert count columns of a frame from ``read_raw_csv`` to nullable integers.

    Empty cells are allowed only in the ``optional`` columns and become <NA>.
    """
    frame = frame.copy()
    for column in columns:
        values = []
        for text, row in zip(frame[column], frame["_row"], strict=True):
            if text == "" and column in optional:
                values.append(pd.NA)
            elif text == "":
                raise RawDataError(
                    path,
                    "missing value",
                    row=row,
                    column=column,
                    action="fill in the count from the source",
                )
            else:
                values.append(parse_count(text, path=path, row=row, column=column))
        frame[column] = pd.array(values, dtype="Int64")
    return frame


def convert_provinces(
    frame: pd.DataFrame, column: str, path: str | Path
) -> pd.DataFrame:
    """Replace a column of province names by nis_code and the Dutch province name.

    Raises RawDataError for a total row ("Totaal"), a region or country row ("Vlaams
    Gewest", "België") or a name that matches no province.
    """
    codes, names = [], []
    for text, row in zip(frame[column], frame["_row"], strict=True):
        if _TOTAL_LABELS.match(text):
            raise RawDataError(
                path,
                "a total row among the provinces",
                row=row,
                column=column,
                value=text,
                action="delete the row: totals are computed from the provinces and "
                "checked against the channel table",
            )
        if is_aggregate(text):
            raise RawDataError(
                path,
                "a region or country total among the provinces",
                row=row,
                column=column,
                value=text,
                action="delete the row: the pipeline sums the provinces itself",
            )
        try:
            province = find_province(text)
        except UnknownProvinceError as error:
            raise RawDataError(
                path,
                str(error),
                row=row,
                column=column,
                action="fix the spelling or add the alias to helpers/provinces.py",
            ) from None
        codes.append(province.nis_code)
        names.append(province.name)
    frame = frame.drop(columns=[column])
    frame.insert(0, "province", names)
    frame.insert(0, "nis_code", codes)
    return frame


def reject_duplicates(frame: pd.DataFrame, keys: list[str], path: str | Path) -> None:
    """Raise RawDataError naming the second row that repeats the ``keys`` of another."""
    repeated = frame[frame.duplicated(subset=keys, keep="first")]
    if not repeated.empty:
        first = repeated.iloc[0]
        value = ", ".join(f"{key}={first[key]}" for key in keys)
        raise RawDataError(
            path,
            "duplicate row: another row has the same " + " and ".join(keys),
            row=int(first["_row"]),
            value=value,
            action="keep one row per " + " and ".join(keys),
        )
