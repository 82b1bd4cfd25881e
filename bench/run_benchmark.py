"""Benchmark the build of the yearly reports and write docs/benchmarks.md.

Scenarios on the shipped data, run in rounds so that a change in the load of the
machine affects each scenario alike, which keeps their ratios side by side:

1. cold build of every year with ``lerarenkaart run --all``, and (1b) the same with
   ``--jobs 1``, one year after the other;
2. the same command again, with nothing changed;
3. the same command after one year's row in a raw file changed;
4. the baseline: the papermill command line and ``jupyter nbconvert`` in a shell loop;
5. the floor: the notebooks' code in one plain Python process, without Jupyter.

Then the scale: cold builds of SYNTHETIC data sets of 10, 30 and 100 card years,
generated into a temporary folder. Each run's wall time and peak memory (the summed
resident set of the command and all its child processes, sampled every 0.1 s) are
recorded. Every file this script writes, other than the page, is in a temporary folder.

    python bench/run_benchmark.py [--rounds 3] [--scale 10:2,30:1,100:1]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import psutil
from synthetic import write_synthetic_raw

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
YEARS = ["2021", "2022"]
SAMPLE_SECONDS = 0.1
PACKAGES = (
    "papermill",
    "nbclient",
    "jupyter_client",
    "ipykernel",
    "nbconvert",
    "pandas",
    "matplotlib",
    "dask",
    "distributed",
)
# The row that scenario 3 changes: the 2022 text total's note in cards_per_year.csv.
CHANGED_FILE = "cards_per_year.csv"
CHANGED_ROW = "2022,text,227.916,antwoord punt 1"


@dataclass
class Run:
    """One measured run of a command."""

    seconds: float
    cpu_seconds: float
    peak_bytes: int
    largest_process_bytes: int
    load: float


@dataclass
class Scenario:
    """The runs of one scenario and the command they ran."""

    name: str
    command: str
    runs: list[Run] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    def median_cpu(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    def median_load(self) -> float:
        return statistics.median(run.load for run in self.runs)


def measure(command: list[str], log_file: Path) -> Run:
    """Run ``command`` and return its wall time, CPU time and peak memory.

    CPU time is the user and system time of the command and its child processes as
    last sampled, so the part a process spends after the last sample is missed.
    Raises RuntimeError, naming the log file, when the command fails.
    """
    load = os.getloadavg()[0]
    peak = largest = 0
    cpu: dict[int, float] = {}
    with open(log_file, "a", encoding="utf-8") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        started = time.perf_counter()
        process = psutil.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        while True:
            total = 0
            try:
                tree = [process, *process.children(recursive=True)]
            except psutil.Error:
                tree = []
            for member in tree:
                try:
                    resident = member.memory_info().rss
                    times = member.cpu_times()
                except psutil.Error:
                    continue
                cpu[member.pid] = times.user + times.system
                total += resident
                largest = max(largest, resident)
            peak = max(peak, total)
            try:
                process.wait(timeout=SAMPLE_SECONDS)
                break
            except psutil.TimeoutExpired:
                pass
        seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(
            f"{command[0]} failed with exit status {process.returncode}; see {log_file}"
        )
    return Run(seconds, sum(cpu.values()), peak, largest, load)


def runner_command(raw: Path, out: Path) -> list[str]:
    return [
        str(BIN / "lerarenkaart"),
        "--root",
        str(ROOT),
        "run",
        "--all",
        "--raw-dir",
        str(raw),
        "--processed-dir",
        str(out / "processed"),
        "--reports-dir",
        str(out / "reports"),
    ]


def change_one_row(raw: Path, round_number: int) -> None:
    """Change the note of one 2022 row, then record the file's new checksum."""
    from helpers.manifest import write_checksums

    path = raw / CHANGED_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(CHANGED_ROW))
    lines[index] = f"{CHANGED_ROW} (benchmark edit {round_number})"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_checksums(raw)


def run_rounds(work: Path, rounds: int, unchanged_repeats: int) -> dict[str, Scenario]:
    """Run scenarios 1 to 5 in ``rounds`` rounds on a copy of data/raw/."""
    raw = work / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    out = work / "runner"
    log_file = work / "commands.log"
    runner = runner_command(raw, out)
    baseline = [
        str(ROOT / "bench" / "baseline.sh"),
        str(BIN),
        str(raw),
        str(work / "baseline"),
        *YEARS,
    ]
    floor = [
        str(BIN / "python"),
        str(ROOT / "bench" / "floor.py"),
        "--raw-dir",
        str(raw),
        "--processed-dir",
        str(work / "floor"),
        *YEARS,
    ]
    shown = " ".join(["lerarenkaart", "run", "--all"])
    scenarios = {
        "cold": Scenario("1. cold build, every year", shown + " (empty outputs)"),
        "serial": Scenario(
            "1b. cold build, one year after the other",
            shown + " --jobs 1 (empty outputs)",
        ),
        "unchanged": Scenario("2. rebuild, nothing changed", shown),
        "changed": Scenario(
            "3. rebuild, one year's raw row changed",
            shown + f" (after editing a 2022 row of {CHANGED_FILE})",
        ),
        "baseline": Scenario(
            "4. baseline: papermill CLI and nbconvert in a shell loop",
            "bench/baseline.sh .venv/bin RAW OUT 2021 2022",
        ),
        "floor": Scenario(
            "5. floor: notebook code in one Python process, no Jupyter",
            "python bench/floor.py --raw-dir RAW --processed-dir OUT 2021 2022",
        ),
    }
    for number in range(1, rounds + 1):
        print(f"round {number} of {rounds}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
        scenarios["cold"].runs.append(measure(runner, log_file))
        shutil.rmtree(out, ignore_errors=True)
        scenarios["serial"].runs.append(measure([*runner, "--jobs", "1"], log_file))
        for _ in range(unchanged_repeats):
            scenarios["unchanged"].runs.append(measure(runner, log_file))
        change_one_row(raw, number)
        scenarios["changed"].runs.append(measure(runner, log_file))
        shutil.rmtree(work / "baseline", ignore_errors=True)
        scenarios["baseline"].runs.append(measure(baseline, log_file))
        shutil.rmtree(work / "floor", ignore_errors=True)
        scenarios["floor"].runs.append(measure(floor, log_file))
    return scenarios


def run_scale(work: Path, plan: list[tuple[int, int]]) -> list[tuple[int, Scenario]]:
    """Cold-build synthetic data sets of each size in ``plan`` (years, runs)."""
    results = []
    log_file = work / "commands.log"
    for years, runs in plan:
        raw = write_synthetic_raw(work / "synthetic", years)
        scenario = Scenario(
            f"{years} synthetic years",
            f"lerarenkaart run --all --raw-dir {raw.name} (empty outputs)",
        )
        for number in range(1, runs + 1):
            print(f"{years} synthetic years, run {number} of {runs}", flush=True)
            out = work / f"synthetic-{years}-out"
            shutil.rmtree(out, ignore_errors=True)
            scenario.runs.append(measure(runner_command(raw, out), log_file))
            shutil.rmtree(out, ignore_errors=True)
        results.append((years, scenario))
    return results


def machine() -> dict[str, str]:
    """Describe this machine, Python and the packages that shape the timings."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "CPU": model,
        "system": platform.platform(),
        "Python": platform.python_version(),
        "packages": ", ".join(versions),
        "commit": commit or "unknown",
    }


def _mib(count: int) -> str:
    return f"{count / 2**20:,.0f} MiB"


def _spread(scenario: Scenario) -> str:
    seconds = [run.seconds for run in scenario.runs]
    return f"{min(seconds):.2f}–{max(seconds):.2f}"


def _peak(scenario: Scenario) -> tuple[str, str]:
    return (
        _mib(max(run.peak_bytes for run in scenario.runs)),
        _mib(max(run.largest_process_bytes for run in scenario.runs)),
    )


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def write_page(
    path: Path,
    facts: dict[str, str],
    scenarios: dict[str, Scenario],
    scale: list[tuple[int, Scenario]],
    arguments: argparse.Namespace,
    loads: tuple[float, float],
    minutes: float,
) -> None:
    """Write the benchmark page with the tables, ratios and targets."""
    cold = scenarios["cold"].median()
    unchanged = scenarios["unchanged"].median()
    baseline = scenarios["baseline"].median()
    floor = scenarios["floor"].median()
    cores = len(os.sched_getaffinity(0))
    lines = [
        "# Benchmarks of the build",
        "",
        "Recorded by `make bench` (`bench/run_benchmark.py`) on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; the whole "
        f"benchmark took {minutes:.0f} minutes. Times are wall-clock seconds: the "
        "median of the runs and, after it, the fastest and slowest run. Peak memory "
        "is the largest sum of the resident sets of the command and all its child "
        "processes (kernels, workers), sampled every 0.1 s, and the largest single "
        "process among them. Resident sets count shared pages once per process, so "
        "the sum overstates the memory in use. CPU s is the user and system time "
        "of the command and its child processes, sampled the same way, so it misses "
        "what a process spends after the last sample. Load is the machine's "
        "1-minute load average when the runs started (median): on a machine with "
        f"{len(os.sched_getaffinity(0))} cores, a load above that means that other "
        "processes competed for the cores.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in facts.items()),
        f"| load | 1-minute load average {loads[0]:.1f} at the start, "
        f"{loads[1]:.1f} at the end |",
        "",
        "## Two card years of the shipped data",
        "",
        f"{arguments.rounds} rounds; each round runs every scenario once (scenario "
        f"2 {arguments.unchanged_repeats} times) in this order, so the ratios below "
        "come from the same rounds. The runner runs with its default of one worker "
        f"process per core ({cores}), except in 1b.",
        "",
        "| scenario | command | runs | median s | min–max s | CPU s | load | "
        "peak memory | largest process |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios.values():
        total, largest = _peak(scenario)
        lines.append(
            f"| {scenario.name} | `{scenario.command}` | {len(scenario.runs)} | "
            f"{scenario.median():.2f} | {_spread(scenario)} | "
            f"{scenario.median_cpu():.1f} | {scenario.median_load():.1f} | "
            f"{total} | {largest} |"
        )

    lines += [
        "",
        "## Scale: SYNTHETIC data sets",
        "",
        "Cold builds of generated data sets with 10, 30 and 100 card years ending in "
        "2022: the 2022 rows of `data/raw/` copied to every year with scaled counts, "
        "written to a temporary folder `raw-synthetic-<N>-years` and marked "
        "SYNTHETIC in every file. Fewer runs of the larger sets keep the benchmark "
        "short.",
        "",
        "| years | runs | median s | min–max s | s per year | s per year × cores "
        "| CPU s per year | load | peak memory | largest process |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    per_year = {}
    for years, scenario in scale:
        per_year[years] = scenario.median() / years
        total, largest = _peak(scenario)
        lines.append(
            f"| {years} | {len(scenario.runs)} | {scenario.median():.1f} | "
            f"{_spread(scenario)} | {per_year[years]:.2f} | "
            f"{per_year[years] * cores:.2f} | "
            f"{scenario.median_cpu() / years:.2f} | {scenario.median_load():.1f} | "
            f"{total} | {largest} |"
        )

    lines += ["", "## Targets", "", "| target | measured | result |", "|---|---|---|"]
    lines.append(
        f"| cold build at most half of the baseline | {cold / baseline:.2f} × "
        f"baseline ({cold:.1f} s against {baseline:.1f} s) | "
        f"{_verdict(cold <= baseline / 2)} |"
    )
    lines.append(
        f"| rebuild with nothing changed under 1 s | {unchanged:.2f} s | "
        f"{_verdict(unchanged < 1)} |"
    )
    lines.append(
        "| rebuild with nothing changed at least 20 × faster than the baseline | "
        f"{baseline / unchanged:.0f} × | {_verdict(baseline / unchanged >= 20)} |"
    )
    serial = scenarios["serial"].median()
    lines.append(
        f"| (no target) speed-up of {cores} worker processes over `--jobs 1` | "
        f"{serial / cold:.2f} × ({cold:.1f} s against {serial:.1f} s) | |"
    )
    lines.append(
        f"| cold build at most 3 × the floor | {cold / floor:.1f} × floor "
        f"({floor:.1f} s) | {_verdict(cold <= 3 * floor)} |"
    )
    if per_year:
        smallest, largest_set = min(per_year), max(per_year)
        growth = per_year[largest_set] / per_year[smallest]
        lines.append(
            "| time grows linearly with years / cores (time per year within "
            f"±20 % from {smallest} to {largest_set} years) | "
            + ", ".join(f"{years}: {value:.2f} s" for years, value in per_year.items())
            + f" per year ({growth:.2f} ×) | {_verdict(0.8 <= growth <= 1.2)} |"
        )
        peaks = {years: max(r.peak_bytes for r in s.runs) for years, s in scale}
        memory_growth = peaks[largest_set] / peaks[smallest]
        lines.append(
            "| peak memory does not grow with the years (within +20 % from "
            f"{smallest} to {largest_set} years) | "
            + ", ".join(f"{years}: {_mib(value)}" for years, value in peaks.items())
            + f" ({memory_growth:.2f} ×) | {_verdict(memory_growth <= 1.2)} |"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _parse_scale(text: str) -> list[tuple[int, int]]:
    plan = []
    for item in text.split(","):
        years, _, runs = item.partition(":")
        plan.append((int(years), int(runs or 1)))
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="default 3")
    parser.add_argument(
        "--unchanged-repeats",
        type=int,
        default=2,
        help="runs of scenario 2 per round (default 2)",
    )
    parser.add_argument(
        "--scale",
        type=_parse_scale,
        default=_parse_scale("10:2,30:1,100:1"),
        metavar="YEARS:RUNS,...",
        help="synthetic data sets and runs of each (default 10:2,30:1,100:1)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and its logs"
    )
    arguments = parser.parse_args()

    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="lerarenkaart-bench-"))
    print(f"working in {work}", flush=True)
    # A failed run leaves the folder in place, with the log that its error names.
    scenarios = run_rounds(work, arguments.rounds, arguments.unchanged_repeats)
    scale = run_scale(work, arguments.scale)
    if not arguments.keep:
        shutil.rmtree(work, ignore_errors=True)
    minutes = (time.perf_counter() - started) / 60
    write_page(
        arguments.output,
        machine(),
        scenarios,
        scale,
        arguments,
        (load_at_start, os.getloadavg()[0]),
        minutes,
    )
    print(f"wrote {arguments.output}")


if __name__ == "__main__":
    main()
