"""Build several years at once: in worker processes here, or on a Dask cluster.

papermill is process-safe but not thread-safe, so each year runs in a process of its
own: a worker of a ProcessPoolExecutor (``--jobs``) or a Dask worker
(``--scheduler``). Both call run_plan_task with the same plan, so a year built on a
cluster gets the same version and files as one built here. A plan whose version
exists already is reused in this process, so a rebuild with nothing to do starts no
process and imports neither papermill nor Dask.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import socket
import threading
import traceback
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lerarenkaart.layout import NOTEBOOKS, Layout

if TYPE_CHECKING:
    from lerarenkaart.build import Plan, YearResult

log = logging.getLogger(__name__)

# Imported once by the fork server, so that each worker process starts with them.
WORKER_PRELOAD = ["lerarenkaart.build", "papermill", "nbconvert"]
SCHEDULER_TIMEOUT = "10s"

# A Dask worker with several threads could run two years in one process. papermill
# is not thread-safe, so a process builds one year at a time.
_ONE_BUILD_PER_PROCESS = threading.Lock()

# jupyter_client picks a kernel's free ports before the kernel binds them, so kernels
# started at the same time can pick the same port, and one of them dies at start-up
# with "Address already in use" (papermill issue #511, jupyter_client issue #154).
# A year whose kernel died that way is built again, at most this many times in all.
KERNEL_START_ATTEMPTS = 3
KERNEL_START_FAILURE = "Kernel died before replying to kernel_info"


class SchedulerError(RuntimeError):
    """The Dask scheduler at the given address could not be reached."""


@dataclass(frozen=True)
class YearOutcome:
    """The outcome of one year's build: a result, or an error.

    ``result.built`` is False for a version that existed already. ``error`` is a
    one-line message, and ``details`` the traceback of an unexpected exception, shown
    with ``--debug``. Every field can be pickled, so an outcome travels back from a
    worker process or a Dask worker.
    """

    year: int
    result: YearResult | None = None
    error: str | None = None
    details: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def usable_cores() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # sched_getaffinity exists on Linux only.
        return os.cpu_count() or 1


def run_plan_task(layout: Layout, plan: Plan, cell_timeout: int) -> YearOutcome:
    """Build or reuse one year's version in the calling process and return the outcome.

    A failed build is returned as an outcome, not raised, because the exceptions of
    build.py do not survive pickling back from another process.
    """
    year = plan.year
    if not layout.notebooks_dir.is_dir():
        return YearOutcome(
            year,
            error=f"{year}: build failed: {layout.notebooks_dir} not found on host "
            f"{socket.gethostname()}; workers need the project on a shared file "
            "system at the same path",
        )
    from lerarenkaart.build import NotebookFailedError, build_plan

    attempt = 1
    with _ONE_BUILD_PER_PROCESS:
        while True:
            try:
                result = build_plan(layout, plan, cell_timeout=cell_timeout)
            except NotebookFailedError as error:
                return YearOutcome(year, error=str(error))
            except OSError as error:
                return YearOutcome(
                    year,
                    error=f"{year}: build failed: {error}; check that "
                    f"{layout.reports_dir} is writable and has space, then run again",
                )
            except Exception as error:
                failed_start = KERNEL_START_FAILURE in str(error)
                if failed_start and attempt < KERNEL_START_ATTEMPTS:
                    attempt += 1
                    log.warning(
                        "%d: a kernel failed to start (%s), building the year again "
                        "(attempt %d of %d)",
                        year,
                        error,
                        attempt,
                        KERNEL_START_ATTEMPTS,
                    )
                    continue
                return YearOutcome(
                    year,
                    error=f"{year}: build failed: {type(error).__name__}: {error}",
                    details=traceback.format_exc(),
                )
            return YearOutcome(year, result=result)


class Progress:
    """Log a line per finished year with the years and notebooks done so far."""

    def __init__(self, layout: Layout, years: int) -> None:
        self.layout = layout
        self.years = years
        self.years_done = 0
        self.notebooks_done = 0

    def record(self, outcome: YearOutcome) -> None:
        """Log the outcome of one year and the counts done so far."""
        self.years_done += 1
        if outcome.failed:
            log.error("%s", outcome.error)
            if outcome.details:
                log.debug("%s", outcome.details)
        else:
            result = outcome.result
            notebooks = [name for name in result.seconds if name in NOTEBOOKS]
            self.notebooks_done += len(notebooks)
            html = result.html
            if html.is_relative_to(self.layout.root):
                html = html.relative_to(self.layout.root)
            steps = ", ".join(
                f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items()
            )
            log.info(
                "%d: built version %s in %.1f s (%s): %s",
                result.year,
                result.version,
                sum(result.seconds.values()),
                steps,
                html,
            )
        log.info(
            "%d of %d years done, %d of %d notebooks run",
            self.years_done,
            self.years,
            self.notebooks_done,
            self.years * len(NOTEBOOKS),
        )


def run_plans(
    layout: Layout,
    plans: list[Plan],
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    cell_timeout: int = 600,
) -> list[YearOutcome]:
    """Reuse the plans whose version exists and build the others, one outcome per plan.

    ``jobs`` is the number of years built at once in worker processes (default: the
    usable cores), and 1 builds in this process. ``scheduler`` is the address of a
    Dask scheduler, such as ``tcp://127.0.0.1:8786``, whose workers build the years
    instead. Raises SchedulerError when that scheduler cannot be reached.
    """
    outcomes = [
        run_plan_task(layout, plan, cell_timeout)
        for plan in plans
        if plan.existing is not None
    ]
    to_build = [plan for plan in plans if plan.existing is None]
    if not to_build:
        return outcomes

    progress = Progress(layout, len(to_build))
    arguments = (layout, to_build, cell_timeout, progress)
    if scheduler:
        built = _run_on_dask(scheduler, *arguments)
    else:
        workers = min(jobs or usable_cores(), len(to_build))
        if workers <= 1:
            built = _run_here(*arguments)
        else:
            built = _run_in_processes(workers, *arguments)
    return sorted(outcomes + built, key=lambda outcome: outcome.year)


def _run_here(layout, plans, cell_timeout, progress) -> list[YearOutcome]:
    outcomes = []
    for plan in plans:
        outcome = run_plan_task(layout, plan, cell_timeout)
        progress.record(outcome)
        outcomes.append(outcome)
    return outcomes


def _run_in_processes(
    workers: int, layout, plans, cell_timeout, progress
) -> list[YearOutcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # NOTE: workers start from a fork server, not by fork, because the parent has
    # imported pandas and may run threads, and forking a threaded process can deadlock.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    records = context.Queue()
    listener = logging.handlers.QueueListener(records, _ForwardToLogger())
    listener.start()
    log.info("building %d years in %d worker processes", len(plans), workers)
    outcomes = []
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_configure_worker_logging,
            initargs=(records, _logger_levels()),
        ) as pool:
            futures = {
                pool.submit(run_plan_task, layout, plan, cell_timeout): plan.year
                for plan in plans
            }
            for future in as_completed(futures):
                outcome = _outcome_of(future, futures[future])
                progress.record(outcome)
                outcomes.append(outcome)
    finally:
        listener.stop()
    return outcomes


def _run_on_dask(
    address: str, layout, plans, cell_timeout, progress
) -> list[YearOutcome]:
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout=SCHEDULER_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise SchedulerError(
            f"could not connect to the Dask scheduler at {address}: {error}. Check "
            "the address and that the scheduler is running and reachable from here"
        ) from error
    outcomes = []
    with client:
        workers = len(client.scheduler_info().get("workers", {}))
        log.info(
            "submitting %d years to the Dask scheduler at %s (%d workers)",
            len(plans),
            address,
            workers,
        )
        client.forward_logging("lerarenkaart", level=logging.getLogger().level)
        run = uuid.uuid4().hex[:8]
        futures = {
            client.submit(
                run_plan_task,
                layout,
                plan,
                cell_timeout,
                key=f"lerarenkaart-{plan.year}-{plan.version}-{run}",
                pure=False,
            ): plan.year
            for plan in plans
        }
        # The client is not the default one, so as_completed needs its event loop.
        for future in as_completed(futures, loop=client.loop):
            outcome = _outcome_of(future, futures[future])
            progress.record(outcome)
            outcomes.append(outcome)
    return outcomes


def _outcome_of(future, year: int) -> YearOutcome:
    """Return a future's outcome, or a failed one if its process or task died."""
    try:
        return future.result()
    except Exception as error:
        return YearOutcome(
            year,
            error=f"{year}: build failed in the worker: {type(error).__name__}: "
            f"{error}",
            details="".join(traceback.format_exception(error)),
        )


def _logger_levels() -> dict[str, int]:
    """Return the levels set on the root and named loggers of this process."""
    levels = {"": logging.getLogger().level}
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET:
            levels[name] = logger.level
    return levels


def _configure_worker_logging(records, levels: dict[str, int]) -> None:
    """Send a worker process's log records to the parent, with the parent's levels."""
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(records)]
    for name, level in levels.items():
        logging.getLogger(name or None).setLevel(level)


class _ForwardToLogger(logging.Handler):
    """Hand a record from a worker to the logger of the same name in this process."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)
