"""Write ``reports/index.html``: every year, its versions and what changed in each.

What changed is read from the manifests: the inputs of a version (raw files, notebooks,
helpers, rendering code, parameters, package versions) against those of the version it
replaced. The changed figures themselves are listed in each report.
"""

from __future__ import annotations

import html
from pathlib import Path

from lerarenkaart.layout import MANIFEST, TABLES, YEAR_INDEX, report_name
from lerarenkaart.versions import (
    Version,
    display_time,
    find_version,
    latest_version,
    list_versions,
    list_years,
    write_if_changed,
)

PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Lerarenkaart: rapporten per jaar</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
         padding: 0 1rem; line-height: 1.5; }}
  table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; width: 100%; }}
  caption {{ text-align: left; font-weight: 600; padding-bottom: 0.3rem; }}
  th, td {{ text-align: left; vertical-align: top; padding: 0.25rem 0.6rem;
           border-bottom: 1px solid #ccc; }}
  th {{ background: #f2f4f7; }}
  .current {{ font-weight: 600; }}
  @media print {{
    body {{ max-width: none; margin: 0; }}
    table {{ page-break-inside: avoid; }}
  }}
</style>
</head>
<body>
<h1>Lerarenkaart: rapporten per jaar</h1>
<p>Verdeling en gebruik van de Lerarenkaart per jaar en per provincie, op basis van het
antwoord op schriftelijke vraag nr. 590 van 2023 in het Vlaams Parlement.</p>
<p>Elk rapport bestaat in versies. Een nieuwe versie ontstaat alleen als de gegevens,
de code, de parameters of de softwareversies veranderen; oudere versies blijven
bewaard. De link <em>actuele versie</em> opent altijd de versie die bij de huidige
gegevens en code hoort.</p>
{years}
</body>
</html>
"""

KIND_NL = {
    "raw": "ruwe gegevens",
    "notebooks": "notebooks",
    "helpers": "analysecode (helpers)",
    "runner": "weergave",
}
LISTED_PACKAGES = 3


def _changed_names(old: dict, new: dict) -> list[str]:
    names = old.keys() | new.keys()
    return sorted(name for name in names if old.get(name) != new.get(name))


def describe_changes(version: Version, reports_dir: Path) -> list[str]:
    """Return, in Dutch, the inputs of ``version`` that differ from the previous one."""
    previous_id = version.manifest.get("previous_version")
    if not previous_id:
        return ["eerste versie"]
    previous = find_version(reports_dir, version.year, previous_id)
    if previous is None:
        return [f"vorige versie {previous_id} niet gevonden"]
    old = previous.manifest.get("inputs", {})
    new = version.manifest.get("inputs", {})
    lines = []

    old_parameters = old.get("parameters", {})
    new_parameters = new.get("parameters", {})
    changed = _changed_names(old_parameters, new_parameters)
    if changed:
        texts = []
        for name in changed:
            value = new_parameters.get(name, "standaardwaarde")
            was = old_parameters.get(name, "standaardwaarde")
            texts.append(f"{name} = {value} (was {was})")
        lines.append("parameters: " + ", ".join(texts))

    for kind, label in KIND_NL.items():
        changed = _changed_names(old.get(kind, {}), new.get(kind, {}))
        if changed:
            lines.append(f"{label}: " + ", ".join(changed))

    old_packages = old.get("packages", {})
    new_packages = new.get("packages", {})
    changed = _changed_names(old_packages, new_packages)
    if len(changed) > LISTED_PACKAGES:
        lines.append(f"softwareversies: {len(changed)} pakketten")
    elif changed:
        texts = [
            f"{name} {old_packages.get(name, '–')} → {new_packages.get(name, '–')}"
            for name in changed
        ]
        lines.append("softwareversies: " + ", ".join(texts))
    return lines or ["geen verschil in de invoer"]


def _year_section(reports_dir: Path, year: int) -> str:
    versions = list_versions(reports_dir, year)
    if not versions:
        return ""
    current = latest_version(reports_dir, year)
    rows = []
    for version in versions:
        folder = f"{year}/{version.id}"
        report = f"{folder}/{report_name(year)}"
        is_current = current is not None and current.id == version.id
        marker = " (actueel)" if is_current else ""
        row_class = ' class="current"' if is_current else ""
        changes = "<br>".join(
            html.escape(line) for line in describe_changes(version, reports_dir)
        )
        rows.append(
            f"<tr{row_class}>"
            f"<td>{html.escape(display_time(version.started_at))}</td>"
            f'<td><a href="{html.escape(report)}">{html.escape(version.id)}</a>'
            f"{marker}</td>"
            f"<td>{changes}</td>"
            f'<td><a href="{html.escape(folder)}/{TABLES}/index.html">tabellen</a> · '
            f'<a href="{html.escape(folder)}/{MANIFEST}">manifest</a></td></tr>'
        )
    current_text = ""
    if current is not None:
        current_text = (
            f'<p><a href="{year}/{YEAR_INDEX}">Actuele versie van {year}</a>: versie '
            f"{html.escape(current.id)} van "
            f"{html.escape(display_time(current.started_at))}.</p>\n"
        )
    return (
        f"<h2>{year}</h2>\n{current_text}<table>\n"
        f"<caption>Versies van het rapport over {year}, de nieuwste eerst</caption>\n"
        "<thead><tr><th>Gemaakt op</th><th>Versie</th><th>Wat veranderde</th>"
        "<th>Bestanden</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
    )


def write_index(reports_dir: Path) -> Path:
    """Write ``index.html`` in ``reports_dir`` for the versions found there.

    The page has no time stamp of its own, so the same versions give the same bytes,
    and an unchanged page is not rewritten.
    """
    sections = [_year_section(reports_dir, year) for year in list_years(reports_dir)]
    sections = [section for section in sections if section]
    body = "\n".join(sections) or "<p>Nog geen rapporten.</p>"
    path = reports_dir / "index.html"
    write_if_changed(path, PAGE.format(years=body))
    return path
