"""Run two independent jobs at once: one in a forked process beside this one, one here.

Used for the outputs: the report is written here while the office workbooks are written beside it,
so the two cores share the fixed cost of every run (docs/performance.md). Where the system cannot
fork (Windows), or one process is asked for (`--jobs 1`), the jobs run one after the other here;
either way the results are the same.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext
from typing import Any, TypeVar, cast

from pipeline.ingest.readers import FORK, ctrl_c_held, exit_with_parent, start_method

Side = TypeVar("Side")
Main = TypeVar("Main")


def can_fork() -> bool:
    """True where a forked process can run a job: the readers fork (Linux, not turned off)."""
    return start_method() == FORK


def run_beside(
    side: Callable[[], Side], main: Callable[[], Main], *, parallel: bool = True
) -> tuple[Side, Main]:
    """`side()` in a forked process and `main()` here, at once; both results, or the first error.

    The forked process inherits everything (nothing is pickled but its result). If it raises, its
    error is raised here, after `main()` has finished, with its traceback as the cause; if it dies
    without an answer (killed, out of memory), `side()` is run again here. An error in `main()`, and
    Ctrl-C, are raised only once the forked process has finished its job (it ignores Ctrl-C), so no
    output is left half written. It exits if this process is gone.
    """
    if not (parallel and can_fork()):
        return side(), main()
    context = cast("ForkContext", multiprocessing.get_context(FORK))
    receive, send = context.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # the child must not print what is buffered here
        stream.flush()
    process = context.Process(target=_serve, args=(side, send, os.getpid()), daemon=True)
    with ctrl_c_held():  # the child must not die of Ctrl-C before it ignores it
        process.start()
    send.close()
    try:
        mine = main()
    finally:
        outcome = _answer(receive)
        process.join()
        receive.close()
    if outcome is None:  # the forked process died without an answer
        return side(), mine
    done, value, trace = outcome
    if not done:
        raise value from RemoteTraceback(trace)
    return value, mine


class RemoteTraceback(Exception):
    """The traceback of an error raised in the forked process, shown as the cause (`--debug`)."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}" if self.args else ""


def _answer(receive: Connection) -> tuple[bool, Any, str] | None:
    """What the forked process sent; None if it sent nothing readable (its job is then redone)."""
    try:
        answer: tuple[bool, Any, str] = receive.recv()
        return answer
    except Exception:  # died (EOFError), or an answer that cannot be unpickled here
        return None


def _serve(side: Callable[[], Any], send: Connection, parent: int) -> None:
    """In the forked process: run the job and send (done, result or error, traceback) back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report, once
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=exit_with_parent, args=(parent,), daemon=True).start()
    try:
        outcome: tuple[bool, Any, str] = (True, side(), "")
    except BaseException as exc:  # every error goes back to be raised in the parent
        outcome = (False, exc, traceback.format_exc())
    try:
        send.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):
        shown = RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")
        send.send((False, shown, outcome[2]))
    except OSError:  # the parent is gone: nobody to answer
        pass
    finally:
        send.close()
