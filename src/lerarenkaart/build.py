"""Run the three notebooks for one year and promote the outputs only on success.

A year is built in a staging folder under ``reports/.staging/``: processed tables,
executed notebooks and the HTML report. Only when all three notebooks ran and the HTML
is written does the staging folder replace ``data/processed/<year>/`` and
``reports/<year>/``, each by a rename, so a failed run leaves the previous good output
as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from lerarenkaart.layout import NOTEBOOKS, REPORT_NOTEBOOK, TEMPLATES, Layout

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"


class NotebookFailedError(RuntimeError):
    """A notebook that raised while papermill executed it.

    ``cell`` is the execution count that Jupyter shows as In [N] in the executed copy.
    """

    def __init__(
        self,
        year: int,
        notebook: str,
        cell: int | None,
        error: str,
        kept_at: Path | None,
    ) -> None:
        self.year, self.notebook, self.cell, self.error = year, notebook, cell, error
        self.kept_at = kept_at
        where = f"year {year}, notebook {notebook}"
        if cell is not None:
            where += f", cell In [{cell}]"
        kept = f" (executed copy kept at {kept_at})" if kept_at else ""
        super().__init__(f"{where}: {error}{kept}")


@dataclass
class YearResult:
    """What one year's build produced."""

    year: int
    html: Path
    seconds: dict[str, float]


def render_html(notebook_path: Path, html_path: Path, title: str) -> None:
    """Convert an executed notebook to a self-contained HTML page without code cells.

    Uses the ``offline`` template, which loads no script or style from another host,
    and drops cells tagged ``report-hidden`` (notes for the notebook's reader).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.language_code = "nl"
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"report-hidden"}
    exporter = HTMLExporter(
        config=config,
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATES)],
    )
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    html_path.write_text(body, encoding="utf-8")


def _replace_folder(source: Path, target: Path) -> None:
    """Replace ``target`` by ``source``; the swap itself is two renames.

    ``source`` is first moved next to ``target`` (a copy if it is on another file
    system), so a reader of ``target`` sees either the old or the new folder.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.new-{os.getpid()}")
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.move(str(source), str(incoming))
    if target.exists():
        target.rename(old)
    incoming.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build_year(
    layout: Layout,
    year: int,
    parameters: dict | None = None,
    *,
    cell_timeout: int = 600,
) -> YearResult:
    """Execute 01, 02 and 03 for ``year``, render the report and promote the outputs.

    ``parameters`` are passed to every notebook that declares them, on top of year and
    the folders. Raises NotebookFailedError when a notebook raises; the executed copy is
    then kept under ``reports/_failed/<year>/`` and nothing earlier is replaced.
    """
    staging = layout.staging_dir / f"{year}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    notebooks_out = staging / "report" / "notebooks"
    notebooks_out.mkdir(parents=True)
    processed = staging / "processed"
    processed.mkdir()
    try:
        seconds = _run_notebooks(layout, year, staging, parameters, cell_timeout)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return YearResult(year=year, html=layout.report_html(year), seconds=seconds)


def _run_notebooks(
    layout: Layout, year: int, staging: Path, parameters: dict | None, cell_timeout: int
) -> dict[str, float]:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebooks_out = staging / "report" / "notebooks"
    processed = staging / "processed"
    seconds: dict[str, float] = {}
    # 03 reads what 01 and 02 wrote to staging, never the previous good tables.
    base = {
        "year": year,
        "raw_dir": str(layout.raw_dir),
        "processed_dir": str(processed),
    }

    for name in NOTEBOOKS:
        source = layout.notebooks_dir / name
        output = notebooks_out / name
        declared = papermill.inspect_notebook(str(source))
        values = {
            k: v for k, v in {**base, **(parameters or {})}.items() if k in declared
        }
        log.info("running %s for %d with %s", name, year, values)
        started = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(source),
                str(output),
                parameters=values,
                kernel_name=KERNEL_NAME,
                cwd=str(layout.notebooks_dir),
                progress_bar=False,
                execution_timeout=cell_timeout,
            )
        except PapermillExecutionError as error:
            kept = _keep_failed(layout, year, output)
            raise NotebookFailedError(
                year,
                name,
                error.exec_count,
                f"{error.ename}: {error.evalue}",
                kept,
            ) from error
        seconds[name] = round(time.perf_counter() - started, 2)

    report = staging / "report" / f"lerarenkaart-{year}.html"
    render_html(notebooks_out / REPORT_NOTEBOOK, report, f"Lerarenkaart {year}")
    log.info("rendered %s", report.name)

    _replace_folder(processed / str(year), layout.processed_dir / str(year))
    _replace_folder(staging / "report", layout.year_dir(year))
    return seconds


def _keep_failed(layout: Layout, year: int, executed: Path) -> Path | None:
    if not executed.exists():
        return None
    target = layout.failed_dir / str(year)
    target.mkdir(parents=True, exist_ok=True)
    kept = target / executed.name
    shutil.copy2(executed, kept)
    return kept
