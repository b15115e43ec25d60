"""A PNG of the report's summary page (LibreOffice -> PDF -> pdftoppm), for the README and docs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.outfiles import atomic_path

TIMEOUT_SECONDS = 300
RESOLUTION_DPI = 110
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
PDFINFO_PAGES = re.compile(r"^Pages:\s+(\d+)", re.MULTILINE)


def count_pdf_pages(pdf: Path) -> int:
    """Pages of a PDF: by pdfinfo when installed, else by counting page objects."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is not None:
        info = subprocess.run(
            [pdfinfo, str(pdf)], capture_output=True, text=True, check=False, timeout=60
        )
        found = PDFINFO_PAGES.search(info.stdout)
        if info.returncode == 0 and found:
            return int(found.group(1))
    return len(PAGE_OBJECT.findall(Path(pdf).read_bytes()))


def render_summary_png(xlsx_path: Path, png_path: Path) -> bool:
    """Render page 1 (the Ringkasan sheet) of the workbook to a PNG; False when tools are missing.

    Needs LibreOffice (`soffice`) and pdftoppm (poppler-utils). The PNG is written atomically.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        return False
    with tempfile.TemporaryDirectory(prefix="kla-preview-") as folder:
        work = Path(folder)
        converted = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{work / 'profile'}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(xlsx_path),
            ],
            capture_output=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
        pdf = work / f"{Path(xlsx_path).stem}.pdf"
        if converted.returncode != 0 or not pdf.exists():
            return False
        stem = work / "page"
        rendered = subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                str(RESOLUTION_DPI),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            capture_output=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
        png = stem.with_suffix(".png")
        if rendered.returncode != 0 or not png.exists():
            return False
        with atomic_path(Path(png_path)) as tmp:
            shutil.copyfile(png, tmp)
    return True


if __name__ == "__main__":
    # python -m tools.preview <workbook.xlsx> <summary.png>; exit status 1 when not rendered.
    sys.exit(0 if render_summary_png(Path(sys.argv[1]), Path(sys.argv[2])) else 1)
