"""Write ``reports/index.html``, the page that links every year's report."""

from __future__ import annotations

import html
from pathlib import Path

from lerarenkaart.layout import Layout

PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Lerarenkaart: rapporten per jaar</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto;
         padding: 0 1rem; line-height: 1.5; }}
  li {{ margin: 0.3rem 0; }}
</style>
</head>
<body>
<h1>Lerarenkaart: rapporten per jaar</h1>
<p>Verdeling en gebruik van de Lerarenkaart per jaar en per provincie, op basis van het
antwoord op schriftelijke vraag nr. 590 van 2023 in het Vlaams Parlement.</p>
<ul>
{items}
</ul>
</body>
</html>
"""


def write_index(layout: Layout) -> Path:
    """Write the index with a link per year that has a report, newest year first."""
    items = []
    years = (
        sorted(
            (
                int(p.name)
                for p in layout.reports_dir.iterdir()
                if p.is_dir()
                and p.name.isdigit()
                and layout.report_html(int(p.name)).exists()
            ),
            reverse=True,
        )
        if layout.reports_dir.exists()
        else []
    )
    for year in years:
        relative = layout.report_html(year).relative_to(layout.reports_dir).as_posix()
        items.append(
            f'<li><a href="{html.escape(relative)}">Lerarenkaart {year}</a></li>'
        )
    if not items:
        items.append("<li>Nog geen rapporten.</li>")
    layout.reports_dir.mkdir(parents=True, exist_ok=True)
    path = layout.reports_dir / "index.html"
    path.write_text(PAGE.format(items="\n".join(items)), encoding="utf-8")
    return path
