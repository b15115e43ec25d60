"""Worker processes that read the input files: one pool for both reading passes.

Processes, not threads: most of the work per file is Python (checks, cells, issues) and holds the
GIL; threads measured no faster than one core (docs/performance.md). Workers are forked where the
system can fork (they inherit the reader: nothing is pickled but paths and results); with `spawn`
(Windows) each worker imports the package and receives the reader pickled once. Files go in
chunks. The pool can start before pandas is imported (files.start_reading): the workers then stay
small and read while the parent imports the rest.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.workbook import Submission

FORK = "fork"
SPAWN = "spawn"
# How worker processes start: "fork" where the system has it (Linux), else "spawn" (Windows,
# and what macOS prefers). The environment variable forces one, so the spawn path is testable here.
START_METHOD_ENV = "KLA_START_METHOD"
MAX_CHUNK = 64  # files per task: few round trips, yet both workers busy to the end
CHUNKS_PER_WORKER = 4
ORPHAN_POLL_SECONDS = 0.5

Reader = functools.partial[Submission]  # read_submission with its root, instrument and region


@dataclass(frozen=True)
class Batch:
    """Files handed to the readers at once: chunks and their futures (None: read here on demand)."""

    chunks: list[list[Path]]
    futures: list[Future[list[Submission]]] | None
    answers: bool


def start_method() -> str:
    """The worker start method: $KLA_START_METHOD (fork or spawn) if the system offers it, else
    fork on Linux, else spawn (Windows; macOS, where forking a process that loaded pandas is unsafe)."""
    available = multiprocessing.get_all_start_methods()
    wanted = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if wanted in (FORK, SPAWN) and wanted in available:
        return wanted
    return FORK if FORK in available and sys.platform.startswith("linux") else SPAWN


class Readers:
    """`jobs` worker processes (0: one per core) reading with `read`; results in input order.

    A worker that dies on a file (a crash in a parser, the OOM killer) breaks the pool: its chunk
    is read again one file per fresh worker, and the file that kills its worker becomes
    `crashed(path)`. A broken pool is replaced for the next batch.
    """

    def __init__(
        self, read: Reader, jobs: int, files: int, crashed: Callable[[Path], Submission]
    ) -> None:
        self.read = read
        self.crashed = crashed
        self.workers = min(jobs or os.cpu_count() or 1, max(files, 1))
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, paths: list[Path], answers: bool) -> Batch:
        """Hand the files to the workers now (read here, later, when one worker is asked for)."""
        if self.workers <= 1:
            return Batch([paths], None, answers)
        size = max(1, min(MAX_CHUNK, len(paths) // (self.workers * CHUNKS_PER_WORKER)))
        chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
        with ctrl_c_held():  # a worker being forked must not die of Ctrl-C before ignoring it
            try:
                futures = [self._pool().submit(_read_chunk, c, answers) for c in chunks]
            except BrokenProcessPool:  # broken by an earlier batch: a fresh pool
                self.close()
                futures = [self._pool().submit(_read_chunk, c, answers) for c in chunks]
        return Batch(chunks, futures, answers)

    def results(self, batch: Batch) -> Iterator[Submission]:
        """The batch's submissions in the order of its files."""
        if batch.futures is None:
            yield from (self.read(path, answers=batch.answers) for path in batch.chunks[0])
            return
        for chunk, future in zip(batch.chunks, batch.futures, strict=True):
            try:
                yield from future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory, a crash in a parser)
                yield from self._isolated(chunk, batch.answers)

    def close(self) -> None:
        """Stop the workers; chunks not started are dropped (also on an interrupt)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = _new_pool(self.read, self.workers)
        return self.pool

    def _isolated(self, paths: list[Path], answers: bool) -> Iterator[Submission]:
        """Each file again in a fresh single worker; a file that kills its worker is `crashed`."""
        pending = list(paths)
        while pending:
            with ctrl_c_held():
                pool = _new_pool(self.read, 1)
                futures = [pool.submit(_read_chunk, [path], answers) for path in pending]
            with pool:
                for future in futures:
                    path = pending.pop(0)
                    try:
                        yield from future.result()
                    except BrokenProcessPool:
                        yield self.crashed(path)
                        break


def _new_pool(read: Reader, workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context(start_method())
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(read, os.getpid())
    )


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """SIGINT held back while workers are forked; delivered here right after (POSIX only)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


_WORKER_READ: list[Reader] = []


def _start_worker(read: Reader, parent: int) -> None:
    """In a worker: keep the reader; exit when the parent is gone (never linger as an orphan)."""
    _WORKER_READ[:] = [read]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report, once
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=exit_with_parent, args=(parent,), daemon=True).start()


def exit_with_parent(parent: int) -> None:
    """Exit this process (a worker) as soon as `parent` is no longer its parent."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_POLL_SECONDS)
    os._exit(1)


def _read_chunk(paths: list[Path], answers: bool) -> list[Submission]:
    return [_WORKER_READ[0](path, answers=answers) for path in paths]
