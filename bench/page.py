"""Write docs/benchmarks.md from the runs recorded in docs/benchmarks.json.

run_benchmark.py records every run and then calls write_page. To change the page
without running the benchmark again:

    python bench/page.py docs/benchmarks.json docs/benchmarks.md
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

# The limits that the project set for the build's speed.
MAX_COLD_TO_BASELINE = 0.5
MAX_UNCHANGED_SECONDS = 1.0
MIN_BASELINE_TO_UNCHANGED = 20
MAX_COLD_TO_FLOOR = 3
# How far the time and memory per year may drift from the smallest to the largest
# synthetic set and still count as linear time and constant memory.
TOLERANCE = 0.2


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _mib(count: float) -> str:
    # A process that has exited but is not yet reaped reports a resident set near 0.
    if count < 2**20:
        return "n/a"
    return f"{count / 2**20:,.0f} MiB"


def _spread(runs: list[dict]) -> str:
    seconds = [run["seconds"] for run in runs]
    return f"{min(seconds):.2f}–{max(seconds):.2f}"


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _introduction(record: dict) -> list[str]:
    cores = record["cores"]
    return [
        "# Benchmarks of the build",
        "",
        "Recorded by `make bench` (`bench/run_benchmark.py`) on "
        f"{record['recorded_at']} UTC. The whole benchmark took "
        f"{record['minutes']:.0f} minutes, and every run is in "
        "`docs/benchmarks.json`. Times are wall-clock seconds: the median of the "
        "runs and, after it, the fastest and slowest run. CPU s is the user and "
        "system time of the command and all its child processes (kernels, workers), "
        "sampled every 0.1 s, so it misses what a process spends after the last "
        "sample. Peak memory is the largest sum of the resident sets of those "
        "processes at one sample, and the largest single process among them (n/a "
        "where every run ended before a sample caught it running). "
        "Resident sets count shared pages once per process, so the sum overstates "
        "the memory in use. Load is the machine's 1-minute load average when the "
        f"runs started (median). On {cores} cores, a load above {cores} means that "
        "other processes competed for the cores.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in record["machine"].items()),
        f"| load | 1-minute load average {record['load'][0]:.1f} at the start, "
        f"{record['load'][1]:.1f} at the end |",
        "",
    ]


def _scenario_table(record: dict) -> list[str]:
    lines = [
        "## Two card years of the shipped data",
        "",
        f"{record['rounds']} rounds. Each round runs every scenario once (scenario 2 "
        f"{record['unchanged_repeats']} times) in this order, so the ratios below "
        "come from the same rounds. The runner runs with its default of one worker "
        f"process per core ({record['cores']}), except in 1b.",
        "",
        "| scenario | command | runs | median s | min–max s | CPU s | load | "
        "peak memory | largest process |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in record["scenarios"].values():
        runs = scenario["runs"]
        lines.append(
            f"| {scenario['name']} | `{scenario['command']}` | {len(runs)} | "
            f"{median(runs, 'seconds'):.2f} | {_spread(runs)} | "
            f"{median(runs, 'cpu_seconds'):.1f} | {median(runs, 'load'):.1f} | "
            f"{_mib(max(run['peak_bytes'] for run in runs))} | "
            f"{_mib(max(run['largest_process_bytes'] for run in runs))} |"
        )
    lines.append("")
    return lines


def _scale_table(record: dict) -> list[str]:
    cores = record["cores"]
    lines = [
        "## Scale: SYNTHETIC data sets",
        "",
        "Cold builds of generated data sets of card years ending in 2022. The 2022 "
        "rows of `data/raw/` are copied to every year with scaled counts, written to "
        "a temporary folder `raw-synthetic-<N>-years` and marked SYNTHETIC in every "
        "file. The larger sets run fewer times, to keep the benchmark near 15 "
        "minutes, and a set that ran once shows no spread.",
        "",
        "| years | runs | median s | min–max s | s per year | s per year × cores "
        "| CPU s per year | load | peak memory | largest process |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in record["scale"]:
        years, runs = entry["years"], entry["runs"]
        per_year = median(runs, "seconds") / years
        lines.append(
            f"| {years} | {len(runs)} | {median(runs, 'seconds'):.1f} | "
            f"{_spread(runs)} | {per_year:.2f} | {per_year * cores:.2f} | "
            f"{median(runs, 'cpu_seconds') / years:.2f} | "
            f"{median(runs, 'load'):.1f} | "
            f"{_mib(max(run['peak_bytes'] for run in runs))} | "
            f"{_mib(max(run['largest_process_bytes'] for run in runs))} |"
        )
    lines.append("")
    return lines


def _targets(record: dict) -> tuple[list[str], dict[str, bool], dict[str, float]]:
    """Return the targets table, whether each target was met, and the growths."""
    scenarios = record["scenarios"]
    wall = {key: median(s["runs"], "seconds") for key, s in scenarios.items()}
    cpu = {key: median(s["runs"], "cpu_seconds") for key, s in scenarios.items()}
    cold, baseline, floor = wall["cold"], wall["baseline"], wall["floor"]
    cpu_to_baseline = cpu["cold"] / cpu["baseline"]
    unchanged, serial = wall["unchanged"], wall["serial"]
    met = {
        "baseline": cold <= MAX_COLD_TO_BASELINE * baseline,
        "unchanged": unchanged < MAX_UNCHANGED_SECONDS,
        "unchanged_ratio": baseline / unchanged >= MIN_BASELINE_TO_UNCHANGED,
        "floor": cold <= MAX_COLD_TO_FLOOR * floor,
    }
    growths: dict[str, float] = {}
    lines = [
        "## Targets",
        "",
        "Each verdict is on wall time, and the CPU time of the same runs follows it.",
        "",
        "| target | measured | result |",
        "|---|---|---|",
        f"| cold build at most half of the baseline | {cold / baseline:.2f} × "
        f"({cold:.1f} s against {baseline:.1f} s); CPU {cpu_to_baseline:.2f} × | "
        f"{_verdict(met['baseline'])} |",
        f"| rebuild with nothing changed under 1 s | {unchanged:.2f} s | "
        f"{_verdict(met['unchanged'])} |",
        "| rebuild with nothing changed at least 20 × faster than the baseline | "
        f"{baseline / unchanged:.0f} × | {_verdict(met['unchanged_ratio'])} |",
        f"| cold build at most 3 × the floor | {cold / floor:.1f} × ({floor:.1f} s); "
        f"CPU {cpu['cold'] / cpu['floor']:.1f} × | {_verdict(met['floor'])} |",
        f"| (no target) speed-up of {record['cores']} worker processes over "
        f"`--jobs 1` | {serial / cold:.2f} × ({cold:.1f} s against {serial:.1f} s) | |",
    ]
    scale = record["scale"]
    if len(scale) >= 2:
        first, last = scale[0], scale[-1]

        def per_year(entry, key):
            return median(entry["runs"], key) / entry["years"]

        growth = per_year(last, "seconds") / per_year(first, "seconds")
        cpu_growth = per_year(last, "cpu_seconds") / per_year(first, "cpu_seconds")
        memory = {
            entry["years"]: max(run["peak_bytes"] for run in entry["runs"])
            for entry in scale
        }
        memory_growth = memory[last["years"]] / memory[first["years"]]
        growths = {"time": growth, "cpu": cpu_growth}
        met["linear"] = growth <= 1 + TOLERANCE
        met["memory"] = memory_growth <= 1 + TOLERANCE
        lines += [
            "| time grows linearly with years / cores (time per year at most "
            f"{TOLERANCE:.0%} higher at {last['years']} than at {first['years']} "
            "years) | "
            + ", ".join(
                f"{entry['years']}: {per_year(entry, 'seconds'):.2f} s"
                for entry in scale
            )
            + f" per year ({growth:.2f} ×); CPU per year {cpu_growth:.2f} × | "
            f"{_verdict(met['linear'])} |",
            "| peak memory does not grow with the years (at most "
            f"{TOLERANCE:.0%} higher at {last['years']} than at {first['years']} "
            "years) | "
            + ", ".join(f"{years}: {_mib(value)}" for years, value in memory.items())
            + f" ({memory_growth:.2f} ×) | {_verdict(met['memory'])} |",
        ]
    lines.append("")
    return lines, met, growths


def _notes(record: dict, met: dict[str, bool], growths: dict[str, float]) -> list[str]:
    """Return the reasons for each missed target that this run's figures show."""
    scenarios = record["scenarios"]
    cores = record["cores"]
    loads = [run["load"] for s in scenarios.values() for run in s["runs"]]
    load = statistics.median(loads)
    changed = median(scenarios["changed"]["runs"], "seconds")
    cold = median(scenarios["cold"]["runs"], "seconds")
    notes = [
        f"- **One changed raw row rebuilds every year** ({changed:.1f} s against "
        f"{cold:.1f} s for a cold build). The version digest counts every raw file "
        "for every year, and each raw file holds all years, so an edit to one "
        "year's row gives every year a new version. Work is skipped only where the "
        "inputs are unchanged, as in scenario 2."
    ]

    if load > cores:
        notes.append(
            f"- **The machine was shared.** The median load was {load:.1f} on "
            f"{cores} cores, so other processes took part of the cores during the "
            "runs. Parallel years then compete with them, which holds back the "
            "speed-up of `--jobs` and makes the wall times vary from round to round. "
            "CPU times depend less on the load and are the fairer comparison here."
        )

    if not met["baseline"]:
        notes.append(
            "- **Cold build against the baseline.** The runner needs less CPU time "
            "than the shell loop, because it starts Python, papermill and nbconvert "
            "once per worker instead of once per notebook. Its wall time gains from "
            "the second core only while that core is free."
        )

    if not met["floor"]:
        notes.append(
            "- **Cold build against the floor.** Every notebook starts its own "
            "kernel, which imports pandas (and matplotlib and seaborn in 03) again, "
            "and every year renders its HTML with nbconvert and writes its tables "
            "and manifest. The floor starts Python and imports each package once for "
            "all years and renders nothing. Running a year's three notebooks in one "
            "kernel would save two kernel start-ups per year. The runner keeps a "
            "fresh kernel per notebook, so that only the files a notebook writes "
            "reach the next one."
        )

    if not met.get("linear", True):
        notes.append(
            f"- **Time per year.** Wall time per year grew {growths['time']:.2f} × "
            f"from the smallest to the largest set, CPU time per year "
            f"{growths['cpu']:.2f} ×. Each year's `01_clean` reads every raw file, "
            "and the synthetic files grow with the number of years, so a year of a "
            "larger set has more rows to read. Where wall time grew more than CPU "
            "time, the difference is time spent waiting for a core."
        )

    if not notes:
        return []
    return ["## Notes", "", *notes, ""]


def write_page(record: dict, path: Path) -> None:
    """Write the benchmark page for ``record`` to ``path``."""
    targets, met, growths = _targets(record)
    lines = [
        *_introduction(record),
        *_scenario_table(record),
        *_scale_table(record),
        *targets,
        *_notes(record, met, growths),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    write_page(json.loads(source.read_text(encoding="utf-8")), target)
