"""Shared fixtures: the real instrument, the example region, templates written once per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline import config
from pipeline.instrument import Instrument, read_instrument
from pipeline.region import Region, read_region
from pipeline.templates.opd import write_templates

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


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


def soffice_convert(
    source: Path, target_format: str, out_dir: Path
) -> subprocess.CompletedProcess[str]:
    """Convert with LibreOffice headless, in a private profile; skip the test when it is missing."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang; .ci/run memasangnya di CI")
    profile = out_dir / "_lo_profile"
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
