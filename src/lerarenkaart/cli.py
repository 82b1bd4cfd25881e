"""The ``lerarenkaart`` command: build and publish the reports, check raw checksums.

Examples::

    lerarenkaart run --all
    lerarenkaart run --year 2022 --param proxy=population
    lerarenkaart years
    lerarenkaart checksums --write
    lerarenkaart publish --to /mnt/intranet/lerarenkaart
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

from lerarenkaart.layout import Layout, find_root

log = logging.getLogger("lerarenkaart")

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
EXIT_LOCKED = 75  # EX_TEMPFAIL of sysexits.h: try again later


def _parse_parameter(text: str) -> tuple[str, object]:
    """Parse NAME=VALUE; VALUE is read as an int or float where it is one."""
    name, separator, value = text.partition("=")
    if not separator or not name.isidentifier():
        raise argparse.ArgumentTypeError(
            f"invalid parameter {text!r}, expected NAME=VALUE"
        )
    for convert in (int, float):
        try:
            return name, convert(value)
        except ValueError:
            pass
    return name, value


def _parse_year(text: str) -> int:
    """Parse a four-digit card year, so that a year cannot name another folder."""
    if not re.fullmatch(r"(19|20)[0-9]{2}", text):
        raise argparse.ArgumentTypeError(
            f"invalid year {text!r}, expected four digits such as 2022"
        )
    return int(text)


def _positive_int(text: str) -> int:
    """Parse a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid count {text!r}, expected 1 or more")
    return value


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="lerarenkaart",
        description="Build the yearly Lerarenkaart reports from data/raw/.",
    )
    parser.add_argument(
        "--root",
        type=Path,
        help="project root (default: found upwards from the working folder)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks and debug logging"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="execute the notebooks and render reports")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--year",
        type=_parse_year,
        action="append",
        help="card year to build; repeat for several",
    )
    which.add_argument("--all", action="store_true", help="every year in data/raw/")
    run.add_argument(
        "--param",
        type=_parse_parameter,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="notebook parameter, e.g. proxy=population",
    )
    run.add_argument("--reports-dir", type=Path, help="default: <root>/reports")
    run.add_argument(
        "--processed-dir", type=Path, help="default: <root>/data/processed"
    )
    run.add_argument("--raw-dir", type=Path, help="default: <root>/data/raw")
    run.add_argument(
        "--cell-timeout",
        type=int,
        default=600,
        help="seconds one notebook cell may run before the year fails (default 600)",
    )
    run.add_argument(
        "--lock-timeout",
        type=float,
        default=-1,
        help="seconds to wait for another run on the same output folders; 0 stops "
        "at once, a negative value waits without limit (default -1)",
    )
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--jobs",
        type=_positive_int,
        help="years built at once, each in its own process (default: the number "
        "of cores; 1 builds in this process)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a Dask scheduler, e.g. tcp://127.0.0.1:8786, whose "
        "workers build the years; they need the project at the same path",
    )

    publish = commands.add_parser(
        "publish",
        help="copy the report versions and the index to a folder, such as an "
        "intranet share",
    )
    publish.add_argument(
        "--to",
        type=Path,
        required=True,
        metavar="DIR",
        help="target folder, created if missing; versions already there are kept",
    )
    publish.add_argument("--reports-dir", type=Path, help="default: <root>/reports")

    commands.add_parser("years", help="list the card years in data/raw/")
    checksums = commands.add_parser(
        "checksums", help="verify the raw files against data/raw/sources.yaml"
    )
    checksums.add_argument(
        "--write",
        action="store_true",
        help="record the current checksums after a reviewed change",
    )
    return parser.parse_args(argv)


def _check_raw(layout: Layout) -> None:
    """Check all raw input before a kernel starts, so bad input gives one line."""
    from helpers import checks, manifest, raw

    manifest.verify_checksums(layout.raw_dir)
    tables = raw.load_all(layout.raw_dir)
    checks.require_complete(
        tables["cards_per_year"],
        tables["cards_by_channel"],
        tables["pickup_by_province"],
        layout.raw_dir,
    )


def _run(arguments: argparse.Namespace, layout: Layout) -> int:
    from lerarenkaart.build import recorded_years
    from lerarenkaart.locking import hold_run_lock
    from lerarenkaart.parameters import check_parameter_types
    from lerarenkaart.provenance import check_parameters

    # A manifest of the same raw files records the years, which spares reading the
    # raw data with pandas when nothing has to be built.
    available = recorded_years(layout)
    checked = available is None
    if available is None:
        from helpers import raw

        _check_raw(layout)
        available = raw.available_years(layout.raw_dir)
    years = available if arguments.all else sorted(set(arguments.year))
    unknown = [year for year in years if year not in available]
    if unknown:
        log.error(
            "no raw data for year %s; available years: %s",
            ", ".join(map(str, unknown)),
            ", ".join(map(str, available)),
        )
        return EXIT_BAD_INPUT

    # The lock comes after the checks of the raw input and the parameters, so bad
    # input creates no output folder.
    check_parameters(layout, dict(arguments.param))
    check_parameter_types(dict(arguments.param), layout.notebooks_dir)
    with hold_run_lock(
        [layout.processed_dir, layout.reports_dir], arguments.lock_timeout
    ):
        failures = _build_years(arguments, layout, years, checked)
    if failures:
        log.error(
            "failed: %s; no earlier output of these years was replaced",
            ", ".join(map(str, failures)),
        )
    return EXIT_FAILED if failures else 0


def _build_years(
    arguments: argparse.Namespace, layout: Layout, years: list[int], checked: bool
) -> list[int]:
    """Plan and build the years and write the index, then return the failed years.

    A year whose notebook fails is logged and does not stop the other years. Unless
    ``checked``, the raw input is checked first when a year has to be built. The years
    are built at once in worker processes or on a Dask cluster (see scheduling.py).
    """
    from lerarenkaart.build import plan_year
    from lerarenkaart.index import write_index
    from lerarenkaart.scheduling import run_plans

    parameters = dict(arguments.param)
    plans = [plan_year(layout, year, parameters) for year in years]
    if not checked and any(plan.existing is None for plan in plans):
        _check_raw(layout)

    outcomes = run_plans(
        layout,
        plans,
        jobs=arguments.jobs,
        scheduler=arguments.scheduler,
        cell_timeout=arguments.cell_timeout,
    )
    failures = [outcome.year for outcome in outcomes if outcome.failed]
    index = write_index(layout.reports_dir)
    log.info("index: %s", _shown(index, layout))
    return failures


def _shown(path: Path, layout: Layout) -> Path:
    return path.relative_to(layout.root) if path.is_relative_to(layout.root) else path


def _publish(arguments: argparse.Namespace, layout: Layout) -> int:
    from lerarenkaart.publish import publish

    copied = publish(layout.reports_dir, arguments.to)
    log.info(
        "published to %s: %s",
        arguments.to,
        ", ".join(copied) if copied else "no new version, nothing copied",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    arguments = _arguments(argv)
    logging.basicConfig(
        level=logging.DEBUG if arguments.debug else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("papermill", "traitlets", "blib2to3", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from helpers.errors import TableError
    from lerarenkaart.locking import RunLockedError
    from lerarenkaart.provenance import ParameterError
    from lerarenkaart.publish import PublishError
    from lerarenkaart.scheduling import SchedulerError

    try:
        layout = Layout.at(
            arguments.root or find_root(),
            raw_dir=getattr(arguments, "raw_dir", None),
            processed_dir=getattr(arguments, "processed_dir", None),
            reports_dir=getattr(arguments, "reports_dir", None),
        )
        if arguments.command == "run":
            return _run(arguments, layout)
        if arguments.command == "publish":
            return _publish(arguments, layout)
        if arguments.command == "years":
            from helpers import raw

            print(" ".join(str(year) for year in raw.available_years(layout.raw_dir)))
            return 0
        from helpers import manifest

        if arguments.write:
            changed = manifest.write_checksums(layout.raw_dir)
            log.info("recorded new checksums for: %s", ", ".join(changed) or "none")
        else:
            manifest.verify_checksums(layout.raw_dir)
            log.info("all raw files match data/raw/sources.yaml")
        return 0
    except (TableError, FileNotFoundError, ParameterError, PublishError) as error:
        if arguments.debug:
            raise
        log.error("%s", error)
        return EXIT_BAD_INPUT
    except RunLockedError as error:
        if arguments.debug:
            raise
        log.error("%s", error)
        return EXIT_LOCKED
    except SchedulerError as error:
        if arguments.debug:
            raise
        log.error("%s", error)
        return EXIT_FAILED
    except OSError as error:
        if arguments.debug:
            raise
        log.error(
            "%s failed: %s; check that the folders exist, are writable and have "
            "space, then run again",
            arguments.command,
            error,
        )
        return EXIT_FAILED
    except Exception as error:
        # The command line shows one line per error; --debug shows the traceback.
        if arguments.debug:
            raise
        log.error(
            "%s: %s (run again with --debug for the traceback)",
            type(error).__name__,
            error,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
