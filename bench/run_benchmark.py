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
recorded. The runs go to docs/benchmarks.json and the page to docs/benchmarks.md (see
page.py). Every other file that this script writes is in a temporary folder.

    python bench/run_benchmark.py [--rounds 3] [--scale 10:2,30:1,100:1]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import psutil
from page import write_page
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
            f"{command[0]} failed with exit status {process.returncode}, see {log_file}"
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


def run_scale(work: Path, plan: list[tuple[int, int]]) -> list[dict]:
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
        results.append({"years": years, **asdict(scenario)})
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

    record = {
        "recorded_at": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M}",
        "minutes": (time.perf_counter() - started) / 60,
        "machine": machine(),
        "cores": len(os.sched_getaffinity(0)),
        "load": [load_at_start, os.getloadavg()[0]],
        "rounds": arguments.rounds,
        "unchanged_repeats": arguments.unchanged_repeats,
        "scenarios": {key: asdict(value) for key, value in scenarios.items()},
        "scale": scale,
    }
    runs = arguments.output.with_suffix(".json")
    runs.parent.mkdir(parents=True, exist_ok=True)
    runs.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    write_page(record, arguments.output)
    print(f"wrote {runs} and {arguments.output}")


if __name__ == "__main__":
    main()
