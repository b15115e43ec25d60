"""The readers start before pandas is imported, and what they read is what read_inputs reads alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd

from pipeline import config
from pipeline.ingest.files import read_inputs, start_reading
from pipeline.instrument import Instrument
from pipeline.region import Region


def test_reading_starts_without_pandas(tmp_path: Path) -> None:
    """The command line starts the workers, then imports pandas while they read (cli.py)."""
    script = textwrap.dedent(
        f"""
        import sys
        from pipeline.ingest.files import start_reading
        from pipeline.instrument import read_instrument
        from pipeline.region import read_region

        region = read_region({str(config.EXAMPLE_REGION_FILE)!r})
        instrument = read_instrument(region.instrumen)
        with start_reading({str(config.EXAMPLE_INPUTS_DIR)!r}, instrument, region, jobs=2) as r:
            print("pandas" in sys.modules, len(r.listing.paths))
        """
    )
    env = {"PYTHONPATH": str(config.PROJECT_DIR), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    loaded, files = done.stdout.split()
    assert loaded == "False" and int(files) > 20


def test_a_reading_started_early_gives_the_same_tables(
    instrument: Instrument, region: Region
) -> None:
    inputs = config.EXAMPLE_INPUTS_DIR
    alone = read_inputs(inputs, instrument, region, jobs=1)
    with start_reading(inputs, instrument, region, jobs=2) as reading:
        early = read_inputs(inputs, instrument, region, jobs=2, started=reading)
    for name in ("files", "cells", "issues", "decisions", "units"):
        pd.testing.assert_frame_equal(getattr(alone, name), getattr(early, name), obj=name)
