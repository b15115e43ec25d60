"""Argument parsing, progress and exit codes; the only module that prints. Heavy imports are lazy."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pipeline import __version__, config, tables
from pipeline.errors import KlaError

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.instrument import Instrument
    from pipeline.region import Region

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_STRICT = 3
EXIT_NOT_WRITABLE = 4  # outputs read-only or not permitted (folders.EXIT_NOT_WRITABLE)
EXIT_NO_SPACE = 5  # disk full or file-size limit while writing outputs (folders.EXIT_NO_SPACE)
EXIT_INTERRUPTED = 130  # Ctrl-C
INTERRUPTED = (
    "dihentikan (Ctrl-C). Berkas isian tidak diubah; hasil yang belum selesai tidak ditandai "
    "lengkap (tanpa selesai.json). Jalankan lagi bila perlu."
)


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
    _add_previous_args(templates)
    templates.add_argument(
        "--salin-regulasi",
        action="store_true",
        help="dengan --sebelumnya: salin jawaban regulasi tahun lalu ke kolom Jawaban (sel jingga "
        "yang harus diperiksa OPD; data dukung tetap diisi ulang)",
    )
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
    _add_previous_args(consolidate)
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
    consolidate.add_argument(
        "--debug",
        action="store_true",
        help="bila gagal, tampilkan traceback Python (untuk pengembang)",
    )
    _add_province_commands(commands)
    return parser


def _add_province_commands(commands: Any) -> None:
    province = commands.add_parser(
        "provinsi",
        help="rekap provinsi dari hasil konsolidasi kabupaten/kota",
        description="Baca workbook Konsolidasi_KLA_*.xlsx dan/atau ringkasan.json kabupaten/kota "
        "(nama dan subfolder apa pun), tulis rekap provinsi. Bila folder kosong dan belum ada "
        "schemas/provinsi.toml, contoh provinsi fiktif bawaan yang dijalankan.",
    )
    province.add_argument(
        "--provinsi",
        type=Path,
        default=None,
        help="berkas pengaturan provinsi (default: schemas/provinsi.toml, atau contoh fiktif)",
    )
    province.add_argument(
        "--inputs", type=Path, default=config.INPUTS_DIR, help="folder hasil kabupaten/kota"
    )
    province.add_argument(
        "--outputs", type=Path, default=config.OUTPUTS_DIR, help="folder hasil (default: outputs/)"
    )
    opendata = commands.add_parser(
        "opendata",
        help="data terbuka (Satu Data Indonesia) dari hasil terakhir",
        description="Tulis <outputs>/opendata/: CSV format panjang, badan package_create CKAN dan "
        "lembar metadata, dari hasil `consolidate` atau `provinsi` terakhir di folder itu.",
    )
    opendata.add_argument(
        "--outputs", type=Path, default=config.OUTPUTS_DIR, help="folder hasil (default: outputs/)"
    )


def _add_region_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wilayah",
        type=Path,
        default=None,
        help="berkas pengaturan wilayah (default: schemas/wilayah.toml, atau contoh fiktif)",
    )


def _add_previous_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sebelumnya",
        type=Path,
        default=None,
        help="hasil tahun lalu: folder outputs (nilai_pertanyaan.csv, ringkasan.json) atau "
        "laporan Konsolidasi_KLA_*.xlsx; menampilkan jawaban dan nilai tahun lalu",
    )
    parser.add_argument(
        "--peta",
        type=Path,
        default=None,
        help="peta pertanyaan tahun lalu -> tahun ini (default: schemas/peta-<instrumen>.csv)",
    )


def _print_notes(issues: pd.DataFrame) -> None:
    for message in list(issues["message"])[: config.NOTES_SHOWN]:
        print(f"  Catatan: {message}")
    if len(issues) > config.NOTES_SHOWN:
        print(f"  ... dan {len(issues) - config.NOTES_SHOWN} catatan lain.")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = run_templates if args.command in ("templates", "template") else run_consolidate
    command = {"provinsi": run_provinsi, "opendata": run_opendata}.get(args.command, command)
    try:
        return command(args)
    except KlaError as exc:
        if getattr(args, "debug", False):
            raise
        print(f"GALAT: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_ERROR)
    except KeyboardInterrupt:
        if getattr(args, "debug", False):
            raise
        print(f"\nGALAT: {INTERRUPTED}", file=sys.stderr)
        return EXIT_INTERRUPTED
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
    history = None
    if args.salin_regulasi and args.sebelumnya is None:
        raise KlaError(
            "--salin-regulasi perlu hasil tahun lalu: tambahkan --sebelumnya (SEBELUMNYA=)."
        )
    if args.sebelumnya is not None:
        from pipeline.consolidate import read_template_history

        history, notes = read_template_history(args.sebelumnya, args.peta, instrument, region)
        print(f"Jawaban tahun {history.tahun} dari {args.sebelumnya} tampil di samping isian.")
        if args.salin_regulasi:
            history = dataclasses.replace(history, prefill=config.PREFILL_TYPES)
            print(
                "Jawaban regulasi tahun lalu disalin ke kolom Jawaban (sel jingga, harus diperiksa OPD)."
            )
        _print_notes(notes)
    paths = write_templates(instrument, region, args.out, history=history)
    questions = len(instrument.questions)
    print(
        f"{len(paths)} template ditulis ke {args.out / str(region.tahun)} "
        f"({questions} pertanyaan, wilayah {region.nama}, tahun {region.tahun})."
    )
    for path in paths:
        print(f"  {path.name}")
    from pipeline.screen import skipped_lines
    from pipeline.templates.coverage import offices_without_template

    for line in skipped_lines(offices_without_template(instrument, region), len(region.offices)):
        print(line)
    from pipeline.templates.kecamatan import kecamatan_template_lines

    for line in kecamatan_template_lines(instrument, region, args.out):
        print(line)
    return EXIT_OK


def inputs_are_empty(inputs_dir: Path) -> bool:
    """True when the inputs folder holds no submissions (only its README or hidden files).

    A folder that cannot be opened or is nested too deep counts as content: the run reports it.
    """
    from pipeline import tables
    from pipeline.ingest.listing import walk_inputs

    listing = walk_inputs(inputs_dir)
    return not listing.paths and all(
        s.file["status"] == tables.FILE_NOT_WORKBOOK for s in listing.skipped
    )


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


class ProgressBar:
    """The reading progress bar on stderr (tqdm, imported only when shown)."""

    def __init__(self, show: bool) -> None:
        self.show = show
        self.bar: Any = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def update(self, done: int, total: int) -> None:
        if not self.show:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=sys.stderr, desc="Membaca isian", unit="berkas")
        self.bar.update(done - self.bar.n)


def run_consolidate(args: argparse.Namespace) -> int:
    from pipeline.folders import check_separate

    check_separate(args.inputs, args.outputs)
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
        if args.sebelumnya is None and config.EXAMPLE_PREVIOUS_DIR.is_dir():
            args.sebelumnya = config.EXAMPLE_PREVIOUS_DIR
    instrument, region = _load(args)
    if not example:
        print(f"Membaca isian dari {inputs_dir} (wilayah {region.nama}, tahun {region.tahun}).")
    from pipeline.ingest.files import start_reading

    show = not args.no_progress and sys.stderr.isatty()
    with start_reading(inputs_dir, instrument, region, jobs=args.jobs) as reading:
        from pipeline.consolidate import run  # pandas and the rest load while the workers read

        with ProgressBar(show) as bar:
            output = run(
                inputs_dir,
                args.outputs,
                instrument,
                region,
                jobs=args.jobs,
                on_read=bar.update,
                example=example,
                previous=args.sebelumnya,
                mapping_file=args.peta,
                reading=reading,
            )
    from pipeline.screen import summary_lines

    for line in summary_lines(output, args.outputs):
        print(line)
    has_error = bool((output.results.issues["severity"] == tables.SEVERITY_ERROR).any())
    return EXIT_STRICT if args.strict and has_error else EXIT_OK


def run_provinsi(args: argparse.Namespace) -> int:
    from pipeline.consolidate import run_province
    from pipeline.instrument import read_instrument
    from pipeline.province.screen import province_lines
    from pipeline.province.settings import default_province_file, read_province

    inputs_dir: Path = args.inputs
    if not inputs_dir.is_dir():
        raise KlaError(
            f"Folder hasil kabupaten/kota {inputs_dir} tidak ditemukan. Periksa ejaan nama folder "
            f"(misalnya INPUTS=hasil_kabkota), atau buat foldernya dan taruh workbook Konsolidasi "
            f"kabupaten/kota di dalamnya."
        )
    own = args.provinsi is not None or config.PROVINCE_FILE.exists()
    example = inputs_are_empty(inputs_dir) and not own
    if example:
        print(
            f"Folder {inputs_dir} kosong dan belum ada schemas/provinsi.toml: menjalankan CONTOH "
            f"PROVINSI BAWAAN (fiktif) dari "
            f"{config.EXAMPLE_PROVINCE_DIR.relative_to(config.PROJECT_DIR)}/."
        )
        inputs_dir = config.EXAMPLE_PROVINCE_DIR
    province = read_province(args.provinsi or default_province_file())
    instrument = read_instrument(province.instrumen)
    output = run_province(inputs_dir, args.outputs, province, instrument, example=example)
    for line in province_lines(output, args.outputs):
        print(line)
    return EXIT_OK


def run_opendata(args: argparse.Namespace) -> int:
    from pipeline.opendata import write_opendata

    written = write_opendata(args.outputs)
    print(f"Data terbuka ditulis ke {args.outputs / config.OPENDATA_DIR} ({len(written)} berkas):")
    for path in written:
        print(f"  {path.name}")
    return EXIT_OK
