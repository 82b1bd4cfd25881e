"""One run at a time per output folder, with a lock file from the filelock package.

Two runs that write the same ``data/processed/`` or ``reports/`` would interleave
their staging renames and the index. A run therefore holds a lock file in each
output folder while it builds. On Linux and macOS filelock uses ``flock``, which the
kernel releases when the process ends, so a run that crashed leaves no stale lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

LOCK_NAME = ".lerarenkaart.lock"


class RunLockedError(RuntimeError):
    """Another run holds the lock of an output folder and did not release it in time."""

    def __init__(self, lock_file: Path, waited: float) -> None:
        self.lock_file = lock_file
        waited_text = f" after waiting {waited:g} s" if waited > 0 else ""
        super().__init__(
            f"another lerarenkaart run is writing to {lock_file.parent} (lock file "
            f"{lock_file.name}){waited_text}; run again when it has finished, or "
            "pass --lock-timeout -1 to wait for it"
        )


@contextmanager
def hold_run_lock(folders: Iterable[Path], timeout: float = -1) -> Iterator[None]:
    """Hold the lock of every folder in ``folders`` until the block ends.

    ``timeout`` is how many seconds to wait for each lock: 0 fails at once and a
    negative value waits without limit. Raises RunLockedError when a lock stays
    taken. Locks are taken in sorted path order, so two runs that share folders
    cannot deadlock.
    """
    with ExitStack() as stack:
        for folder in sorted({Path(folder).resolve() for folder in folders}):
            folder.mkdir(parents=True, exist_ok=True)
            lock = FileLock(folder / LOCK_NAME)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                if timeout == 0:
                    raise RunLockedError(Path(lock.lock_file), 0) from None
                log.info(
                    "%s is locked by another lerarenkaart run; waiting for it",
                    lock.lock_file,
                )
                try:
                    lock.acquire(timeout=timeout)
                except Timeout:
                    raise RunLockedError(Path(lock.lock_file), timeout) from None
            stack.callback(lock.release)
        yield
