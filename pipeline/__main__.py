"""Entry point for `python -m pipeline`."""

import contextlib
import os
import sys

from pipeline.cli import main


def leave(code: int) -> None:
    """Exit without tearing the heap down object by object (0.2-0.3 s after a run of 3,000 files):
    every output is written, renamed and closed by then, and the workers have been joined; only the
    standard streams need flushing."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): nothing to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # spawned reader processes import this module without running it
    leave(main())
