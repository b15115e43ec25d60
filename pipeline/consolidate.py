"""run(): the order of the stages, from the inputs folder to every output. The only orchestrator."""

from __future__ import annotations

from pathlib import Path

from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.tables import Results


def run(
    inputs_dir: Path,
    outputs_dir: Path,
    instrument: Instrument,
    region: Region,
    *,
    jobs: int = 0,
    progress: bool = False,
    example: bool = False,
) -> Results:
    """Ingest -> validate -> merge -> score -> write outputs; return what was produced."""
    raise NotImplementedError("belum diimplementasikan")
