"""Turn an executed report notebook and its tables into the files of a version.

This module and the ``offline`` template shape what a reader gets, so their checksums
are part of the version digest (see provenance.py).
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from lerarenkaart.layout import MANIFEST, TABLES, TEMPLATES

TABLES_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Lerarenkaart {year}: tabellen van versie {version}</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto;
         padding: 0 1rem; line-height: 1.5; }}
  li {{ margin: 0.3rem 0; }}
</style>
</head>
<body>
<h1>Lerarenkaart {year}: tabellen van versie {version}</h1>
<p>De tabellen achter het rapport, als CSV (UTF-8, komma als scheidingsteken, punt
als decimaalteken). De kolommen zijn beschreven in
<a href="datapackage.json">datapackage.json</a> (Frictionless Data Package, in het
Engels).</p>
<ul>
{items}
</ul>
<p><a href="../{report}">Terug naar het rapport</a></p>
</body>
</html>
"""


def render_html(
    notebook_path: Path, html_path: Path, title: str, version: dict | None = None
) -> None:
    """Convert an executed notebook to a self-contained HTML page without code cells.

    Uses the ``offline`` template, which loads no script or style from another host,
    and drops cells tagged ``report-hidden`` (notes for the notebook's reader).
    ``version`` fills the version line at the top of the page: keys ``id``, ``date``,
    ``previous`` (an id or None), ``tables``, ``manifest`` and ``index`` (relative
    links).
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
    body, _ = exporter.from_notebook_node(
        notebook, resources={"report_version": version or {}}
    )
    html_path.write_text(body, encoding="utf-8")


def export_tables(processed: Path, target: Path, year: int, version: str) -> Path:
    """Copy the processed tables and their datapackage.json to ``target``.

    Writes ``index.html`` there, which links each CSV with its description, so the
    folder can be browsed from file:// and from a web server without a listing.
    """
    target.mkdir(parents=True)
    for path in sorted(processed.glob("*.csv")) + [processed / "datapackage.json"]:
        shutil.copy2(path, target / path.name)
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    items = [
        f'<li><a href="{html.escape(resource["path"])}">'
        f"{html.escape(resource['path'])}</a>: "
        f"{html.escape(resource.get('description', ''))}</li>"
        for resource in package.get("resources", [])
    ]
    page = TABLES_PAGE.format(
        year=year,
        version=html.escape(version),
        items="\n".join(items),
        report=html.escape(f"lerarenkaart-{year}.html"),
    )
    index = target / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def version_line(
    version: str, date: str, previous: str | None, year: int
) -> dict[str, object]:
    """Return the values of the version line for render_html, with relative links."""
    return {
        "id": version,
        "date": date,
        "previous": previous,
        "tables": f"{TABLES}/index.html",
        "manifest": MANIFEST,
        "index": "../../index.html",
        "year": year,
    }
