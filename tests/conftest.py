"""Shared fixtures: the real instrument, the example region, templates written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import config
from pipeline.instrument import Instrument, read_instrument
from pipeline.region import Region, read_region
from pipeline.templates.opd import write_templates


@pytest.fixture(scope="session")
def instrument() -> Instrument:
    return read_instrument(config.SCHEMAS_DIR / "kla-2024.toml")


@pytest.fixture(scope="session")
def region() -> Region:
    return read_region(config.EXAMPLE_REGION_FILE)


@pytest.fixture(scope="session")
def template_dir(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> Path:
    out = tmp_path_factory.mktemp("templates")
    write_templates(instrument, region, out)
    return out / str(region.tahun)


@pytest.fixture(scope="session")
def template_paths(template_dir: Path) -> dict[str, Path]:
    """Template path by office role code (the role is the second part of the file name)."""
    return {p.name.split("_")[1]: p for p in sorted(template_dir.glob("*.xlsx"))}
