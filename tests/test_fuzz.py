"""Random bytes and strings fed to every reader: each one either parses the input or
raises its documented error, never another exception.

Raw readers raise RawDataError, processed readers ProcessedTableError and the
province lookup UnknownProvinceError.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import manifest, processed, raw
from helpers.errors import ProcessedTableError, RawDataError
from helpers.provinces import UnknownProvinceError, find_province, is_aggregate
from helpers.reading import parse_count, read_raw_csv

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_RAW = ROOT / "data" / "raw"

LOADERS = {
    "cards_per_year.csv": raw.load_cards_per_year,
    "cards_by_channel.csv": raw.load_cards_by_channel,
    "pickup_cards_by_province.csv": raw.load_pickup_by_province,
    "website_visits.csv": raw.load_website_visits,
    "staff_national.csv": raw.load_staff_national,
    "pupils_by_school_province.csv": raw.load_pupils,
    "population_by_province.csv": raw.load_population,
    "digital_card_milestones.csv": raw.load_milestones,
}

# pandera's report of failure cases concatenates frames with empty columns, and
# pandas 2.3 warns about that. The warning is not about the input.
pytestmark = pytest.mark.filterwarnings(
    "ignore:The behavior of DataFrame concatenation:FutureWarning"
)

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Cells close to what a transcription holds, so that random rows get past the
# header and reach the converters and the schema.
TOKENS = [
    "",
    "2021",
    "2022",
    "1850",
    "2021-2022",
    "2022-01-01",
    "2022-02-30",
    "49.307",
    "49 307",
    "49\u00a0307",
    "-5",
    "1,5",
    "Antwerpen",
    "Liège",
    "Totaal",
    "Vlaams Gewest",
    "04000",
    "4000",
    "text",
    "table_total_entitled",
    "Kaarten met abonnement",
    "exact",
    "missing",
    "typical year before 2020",
    "done",
    "FTE",
    "111",
    '"',
    ";",
    "\u00a0",
    "<script>alert(1)</script>",
]
cells = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))


@pytest.fixture(scope="module")
def raw_folder():
    """A writable copy of data/raw, reused by every example of a test."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "raw"
        shutil.copytree(SHIPPED_RAW, copy)
        yield copy


def header_of(name: str) -> str:
    return (SHIPPED_RAW / name).read_text(encoding="utf-8").splitlines()[0]


@FUZZ
@given(text=st.one_of(st.text(), st.sampled_from(TOKENS)))
def test_parse_count_fuzz(text):
    try:
        count = parse_count(text, path="f.csv", row=2, column="cards")
    except RawDataError:
        return
    assert count >= 0


@FUZZ
@given(text=st.text())
def test_find_province_fuzz(text):
    try:
        province = find_province(text)
    except UnknownProvinceError:
        return
    assert province.nis_code


@FUZZ
@given(text=st.text())
def test_is_aggregate_fuzz(text):
    assert is_aggregate(text) in (True, False)


@FUZZ
@given(data=st.binary(max_size=400))
def test_read_raw_csv_bytes_fuzz(tmp_path, data):
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    try:
        frame = read_raw_csv(path, ["year"])
    except RawDataError:
        return
    assert "year" in frame.columns


@pytest.mark.parametrize("name", sorted(LOADERS))
@FUZZ
@given(data=st.binary(max_size=400))
def test_loader_bytes_fuzz(raw_folder, name, data):
    (raw_folder / name).write_bytes(data)
    try:
        LOADERS[name](raw_folder)
    except RawDataError:
        pass


@pytest.mark.parametrize("name", sorted(LOADERS))
@FUZZ
@given(data=st.data())
def test_loader_rows_fuzz(raw_folder, name, data):
    header = header_of(name)
    width = len(header.split(","))
    rows = data.draw(
        st.lists(st.lists(cells, min_size=width, max_size=width), max_size=6)
    )
    delimiter = data.draw(st.sampled_from([",", ";"]))
    lines = [header.replace(",", delimiter)]
    for row in rows:
        lines.append(
            delimiter.join('"' + cell.replace('"', '""') + '"' for cell in row)
        )
    (raw_folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        LOADERS[name](raw_folder)
    except RawDataError:
        pass


@FUZZ
@given(data=st.binary(max_size=400))
def test_available_years_fuzz(raw_folder, data):
    (raw_folder / "cards_per_year.csv").write_bytes(data)
    try:
        years = raw.available_years(raw_folder)
    except RawDataError:
        return
    assert all(isinstance(year, int) for year in years)


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.sampled_from(
            [b"[]", b"files: []", b"files: {a.csv: 1}", b"sources: 3", b"- x"]
        ),
    )
)
def test_manifest_fuzz(raw_folder, data):
    (raw_folder / manifest.MANIFEST).write_bytes(data)
    try:
        manifest.verify_checksums(raw_folder)
    except RawDataError:
        pass


@pytest.mark.parametrize("name", sorted(processed.TABLES))
@FUZZ
@given(data=st.data())
def test_read_table_fuzz(tmp_path, name, data):
    columns = list(processed.TABLES[name][1])
    header = ",".join(columns)
    body = data.draw(
        st.one_of(
            st.binary(max_size=200),
            st.lists(
                st.lists(cells, min_size=len(columns), max_size=len(columns)),
                max_size=4,
            ).map(
                lambda rows: "\n".join(
                    [header] + [",".join(f'"{cell}"' for cell in row) for row in rows]
                ).encode()
            ),
        )
    )
    (tmp_path / f"{name}.csv").write_bytes(body)
    try:
        processed.read_table(tmp_path, name)
    except ProcessedTableError:
        pass
