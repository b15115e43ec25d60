"""Argument parsing, progress and exit codes; the only module that prints. Heavy imports are lazy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__, config
from pipeline.errors import KlaError

if TYPE_CHECKING:
    from pipeline.instrument import Instrument
    from pipeline.region import Region

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_STRICT = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="KLA Konsolidasi: template per OPD, baca isian, validasi, skor dan laporan KLA.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    templates = commands.add_parser("templates", help="buat satu template Excel per OPD")
    _add_region_args(templates)
    templates.add_argument(
        "--out",
        type=Path,
        default=config.TEMPLATES_DIR,
        help="folder tujuan (default: templates_xlsx/); berkas ditulis ke <out>/<tahun>/",
    )

    consolidate = commands.add_parser("consolidate", help="baca isian OPD, validasi, skor, laporan")
    _add_region_args(consolidate)
    consolidate.add_argument(
        "--inputs", type=Path, default=config.INPUTS_DIR, help="folder isian OPD (default: inputs/)"
    )
    consolidate.add_argument(
        "--outputs", type=Path, default=config.OUTPUTS_DIR, help="folder hasil (default: outputs/)"
    )
    consolidate.add_argument(
        "--strict", action="store_true", help="keluar dengan kode 3 bila ada galat (untuk otomasi)"
    )
    consolidate.add_argument(
        "--jobs", type=int, default=0, help="jumlah proses baca paralel (default: semua inti)"
    )
    consolidate.add_argument("--no-progress", action="store_true", help="tanpa bilah kemajuan")
    return parser


def _add_region_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wilayah",
        type=Path,
        default=None,
        help="berkas pengaturan wilayah (default: schemas/wilayah.toml, atau contoh fiktif)",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "templates":
            return run_templates(args)
        return run_consolidate(args)
    except KlaError as exc:
        print(f"GALAT: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _load(args: argparse.Namespace) -> tuple[Instrument, Region]:
    from pipeline.instrument import read_instrument
    from pipeline.region import check_region, default_region_file, read_region

    region = read_region(args.wilayah or default_region_file())
    instrument = read_instrument(region.instrumen)
    check_region(region, instrument)
    return instrument, region


def run_templates(args: argparse.Namespace) -> int:
    from pipeline.templates import write_templates

    instrument, region = _load(args)
    paths = write_templates(instrument, region, args.out)
    questions = len(instrument.questions)
    print(
        f"{len(paths)} template ditulis ke {args.out / str(region.tahun)} "
        f"({questions} pertanyaan, wilayah {region.nama}, tahun {region.tahun})."
    )
    for path in paths:
        print(f"  {path.name}")
    return EXIT_OK


def inputs_are_empty(inputs_dir: Path) -> bool:
    """True when the inputs folder holds no submissions (only its README or hidden files)."""
    if not inputs_dir.exists():
        return True
    for path in inputs_dir.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(inputs_dir).parts)
        if path.is_file() and not hidden and path.name not in config.INPUTS_IGNORED:
            return False
    return True


def run_consolidate(args: argparse.Namespace) -> int:
    inputs_dir: Path = args.inputs
    example = inputs_are_empty(inputs_dir)
    if example:
        print(
            f"Folder {inputs_dir} kosong: menjalankan CONTOH BAWAAN (wilayah fiktif) dari "
            f"{config.EXAMPLE_INPUTS_DIR.relative_to(config.PROJECT_DIR)}/."
        )
        args.wilayah = config.EXAMPLE_REGION_FILE
        inputs_dir = config.EXAMPLE_INPUTS_DIR
    instrument, region = _load(args)
    if not example:
        print(f"Membaca isian dari {inputs_dir} (wilayah {region.nama}, tahun {region.tahun}).")
    from pipeline.consolidate import run

    output = run(
        inputs_dir,
        args.outputs,
        instrument,
        region,
        jobs=args.jobs,
        progress=not args.no_progress and sys.stderr.isatty(),
        example=example,
    )
    from pipeline.summary import summary_lines

    for line in summary_lines(output, args.outputs):
        print(line)
    has_error = bool((output.results.issues["severity"] == "galat").any())
    return EXIT_STRICT if args.strict and has_error else EXIT_OK
