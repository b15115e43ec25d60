"""Argument parsing, progress and exit codes; the only module that prints. Heavy imports are lazy."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pipeline import __version__, config
from pipeline.errors import KlaError

if TYPE_CHECKING:
    from pipeline.instrument import Instrument
    from pipeline.region import Region

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_STRICT = 3


ARGPARSE_PHRASES = (
    ("the following arguments are required", "argumen wajib belum diberikan"),
    ("invalid choice", "pilihan tidak dikenal"),
    ("choose from", "pilih dari"),
    ("unrecognized arguments", "argumen tidak dikenal"),
    ("expected one argument", "perlu satu nilai"),
    ("invalid int value", "bukan bilangan bulat"),
    ("argument ", "argumen "),
)


class IndonesianParser(argparse.ArgumentParser):
    """argparse with Indonesian section titles, help flag and error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "pilihan"
        self.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")

    def error(self, message: str) -> NoReturn:
        for english, indonesian in ARGPARSE_PHRASES:
            message = message.replace(english, indonesian)
        self.print_usage(sys.stderr)
        self.exit(2, f"GALAT: {message}. Lihat: {self.prog} --help\n")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "cara pakai:")

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "cara pakai:")


def build_parser() -> argparse.ArgumentParser:
    parser = IndonesianParser(
        prog="python -m pipeline",
        description="KLA Konsolidasi: template per OPD, baca isian, validasi, skor dan laporan KLA.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="tampilkan versi"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="PERINTAH", parser_class=IndonesianParser
    )
    templates = commands.add_parser(
        "templates",
        aliases=["template"],
        help="buat satu template Excel per OPD",
        description="Tulis satu template Excel per OPD ke <out>/<tahun>/ dari instrumen dan "
        "pengaturan wilayah.",
    )
    _add_region_args(templates)
    templates.add_argument(
        "--out",
        type=Path,
        default=config.TEMPLATES_DIR,
        help="folder tujuan (default: templates_xlsx/); berkas ditulis ke <out>/<tahun>/",
    )
    consolidate = commands.add_parser(
        "consolidate",
        aliases=["konsolidasi"],
        help="baca isian OPD, validasi, skor, laporan",
        description="Baca semua isian OPD di folder inputs, periksa, hitung nilai, tulis laporan. "
        "Bila folder inputs kosong dan belum ada schemas/wilayah.toml, contoh fiktif bawaan "
        "yang dijalankan.",
    )
    _add_region_args(consolidate)
    consolidate.add_argument(
        "--inputs",
        type=Path,
        default=config.INPUTS_DIR,
        help="folder isian OPD (default: inputs/); harus ada",
    )
    consolidate.add_argument(
        "--outputs", type=Path, default=config.OUTPUTS_DIR, help="folder hasil (default: outputs/)"
    )
    consolidate.add_argument(
        "--strict", action="store_true", help="keluar dengan kode 3 bila ada galat (untuk otomasi)"
    )
    consolidate.add_argument(
        "--jobs", type=int, default=0, help="jumlah pembaca paralel (default 0: semua inti)"
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
    command = run_templates if args.command in ("templates", "template") else run_consolidate
    try:
        return command(args)
    except KlaError as exc:
        print(f"GALAT: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit does not fail again
        return EXIT_OK


def _load(args: argparse.Namespace) -> tuple[Instrument, Region]:
    from pipeline.instrument import read_instrument
    from pipeline.region import check_region, default_region_file, read_region

    region = read_region(args.wilayah or default_region_file())
    instrument = read_instrument(region.instrumen)
    check_region(region, instrument)
    return instrument, region


def run_templates(args: argparse.Namespace) -> int:
    from pipeline.templates.opd import write_templates

    instrument, region = _load(args)
    paths = write_templates(instrument, region, args.out)
    questions = len(instrument.questions)
    print(
        f"{len(paths)} template ditulis ke {args.out / str(region.tahun)} "
        f"({questions} pertanyaan, wilayah {region.nama}, tahun {region.tahun})."
    )
    for path in paths:
        print(f"  {path.name}")
    from pipeline.templates.kecamatan import kecamatan_template_lines

    for line in kecamatan_template_lines(instrument, region, args.out):
        print(line)
    return EXIT_OK


def inputs_are_empty(inputs_dir: Path) -> bool:
    """True when the inputs folder holds no submissions (only its README or hidden files)."""
    for path in inputs_dir.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(inputs_dir).parts)
        if not hidden and not path.is_dir() and path.name not in config.INPUTS_IGNORED:
            return False
    return True


def use_example(args: argparse.Namespace) -> bool:
    """The bundled example runs only on an empty inputs folder with no region of the user's own."""
    inputs_dir: Path = args.inputs
    if not inputs_dir.is_dir():
        raise KlaError(
            f"Folder isian {inputs_dir} tidak ditemukan. Periksa ejaan nama folder "
            f"(misalnya INPUTS=inputs), atau buat foldernya dan taruh berkas isian OPD di dalamnya."
        )
    own_region = args.wilayah is not None or config.REGION_FILE.exists()
    return inputs_are_empty(inputs_dir) and not own_region


def run_consolidate(args: argparse.Namespace) -> int:
    example = use_example(args)
    inputs_dir: Path = args.inputs
    if example:
        print(
            f"Folder {inputs_dir} kosong dan belum ada schemas/wilayah.toml: menjalankan "
            f"CONTOH BAWAAN (wilayah fiktif) dari "
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
    from pipeline.screen import summary_lines

    for line in summary_lines(output, args.outputs):
        print(line)
    has_error = bool((output.results.issues["severity"] == "galat").any())
    return EXIT_STRICT if args.strict and has_error else EXIT_OK
