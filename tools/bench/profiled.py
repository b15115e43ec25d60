"""`python -m tools.bench.profiled OUT ARG...`: the command line `python -m pipeline ARG...` under cProfile.

`python -m cProfile -m pipeline` would lose the statistics: the entry point leaves with os._exit.
"""

from __future__ import annotations

import cProfile
import sys

from pipeline.cli import main


def profiled(output: str, argv: list[str]) -> int:
    """Run the command line with the profiler on; its statistics go to `output`."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        return main(argv)
    finally:
        profiler.disable()
        profiler.dump_stats(output)


if __name__ == "__main__":
    sys.exit(profiled(sys.argv[1], sys.argv[2:]))
