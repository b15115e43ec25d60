"""`make bench`: time (A) consolidate, (B) the naive script, (C) the calamine floor, interleaved.

Usage: python -m tools.bench.run [--sizes 30,300,3000] [--rounds 3] [--work tools/bench/_work] [--no-docs]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import psutil

from pipeline import config
from pipeline.instrument import read_instrument
from pipeline.region import read_region
from tools.bench.generate import write_submissions, write_variants
from tools.bench.kd import DESA as KD_DESA
from tools.bench.kd import KECAMATAN as KD_KECAMATAN
from tools.bench.kd import write_kd_case
from tools.bench.province import write_national

ROOT = config.PROJECT_DIR
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- hasil:mulai -->", "<!-- hasil:selesai -->"
LIBRARIES = ("pandas", "pandera", "python-calamine", "openpyxl", "xlsxwriter", "psutil")
POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_rss_mb: float


def measure(command: list[str]) -> Sample:
    """Run a command; wall time from start to exit and peak RSS summed over its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()
    )
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(watched))
        time.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {stderr[-2000:]}")
    return Sample(seconds, peak / 2**20)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _tree_rss(process: psutil.Process) -> int:
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def commands(
    inputs: Path, outputs: Path, region_file: Path = config.EXAMPLE_REGION_FILE
) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "A": [
            python,
            "-m",
            "pipeline",
            "consolidate",
            "--inputs",
            str(inputs),
            "--outputs",
            str(outputs),
            "--wilayah",
            str(region_file),
            "--no-progress",
        ],
        "B": [python, "-m", "tools.bench.naive", str(inputs)],
        "C": [python, "-m", "tools.bench.floor", str(inputs)],
    }


def run_size(n: int, variants: list[Path], work: Path, rounds: int) -> dict[str, list[Sample]]:
    """Interleaved rounds A B C A B C ... for one size."""
    inputs = work / f"n{n}"
    write_submissions(variants, n, inputs)
    samples: dict[str, list[Sample]] = {"A": [], "B": [], "C": []}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(dir=work) as outputs:
            for name, command in commands(inputs, Path(outputs)).items():
                samples[name].append(measure(command))
    return samples


def help_time(rounds: int = 7) -> list[float]:
    command = [sys.executable, "-m", "pipeline", "--help"]
    return [measure(command).seconds for _ in range(rounds)]


def _median_range(values: list[float], fmt: str) -> str:
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}-{format(max(values), fmt)})"


def table(results: dict[int, dict[str, list[Sample]]]) -> list[str]:
    lines = [
        "| N | run | wall s, median (min-max) | ms per workbook | peak RSS MB, median (min-max) |",
        "|---:|---|---|---:|---|",
    ]
    names = {"A": "A consolidate", "B": "B naive (openpyxl)", "C": "C floor (calamine)"}
    for n, samples in results.items():
        for key, label in names.items():
            seconds = [s.seconds for s in samples[key]]
            rss = [s.peak_rss_mb for s in samples[key]]
            per = statistics.median(seconds) / n * 1000
            lines.append(
                f"| {n} | {label} | {_median_range(seconds, '.2f')} | {per:.1f} | "
                f"{_median_range(rss, '.0f')} |"
            )
    lines += ["", "| N | A/B | A/C |", "|---:|---:|---:|"]
    for n, samples in results.items():
        a, b, c = (statistics.median(s.seconds for s in samples[k]) for k in "ABC")
        lines.append(f"| {n} | {a / b:.3f} | {a / c:.2f} |")
    return lines


def machine() -> list[str]:
    versions = ", ".join(f"{name} {version(name)}" for name in LIBRARIES)
    return [
        f"- Machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"{platform.system()} {platform.machine()}",
        f"- Python {platform.python_version()}; {versions}",
    ]


def run_kd(work: Path, rounds: int) -> list[Sample]:
    """The KD case (tools/bench/kd.py): consolidate 30 kecamatan workbooks, 400 desa rows."""
    region_file, inputs = write_kd_case(work)
    samples = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(dir=work) as outputs:
            samples.append(measure(commands(inputs, Path(outputs), region_file)["A"]))
    return samples


def kd_lines(samples: list[Sample]) -> list[str]:
    seconds = [s.seconds for s in samples]
    rss = [s.peak_rss_mb for s in samples]
    return [
        "",
        f"KD roll-up: {KD_KECAMATAN} kecamatan workbooks, {KD_DESA} desa rows (A consolidate): wall s "
        f"{_median_range(seconds, '.2f')}, peak RSS MB {_median_range(rss, '.0f')}.",
    ]


def report(results: dict[int, dict[str, list[Sample]]], helps: list[float], rounds: int) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `make bench` ({rounds} interleaved rounds per size).",
        "",
        *machine(),
        f"- Fixed cost, `python -m pipeline --help`: median {statistics.median(helps) * 1000:.0f} ms "
        f"(min {min(helps) * 1000:.0f}, max {max(helps) * 1000:.0f})",
        "",
        *table(results),
    ]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else f"{START}\n{END}\n"
    head, _, rest = current.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def national_lines(n: int, work: Path, rounds: int) -> list[str]:
    """`make provinsi` on n generated kab/kota workbooks (the national picture), timed `rounds` times."""
    folder = work / f"nasional{n}"
    settings = write_national(folder / "hasil", n)
    samples = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(dir=work) as outputs:
            command = [
                sys.executable,
                "-m",
                "pipeline",
                "provinsi",
                "--inputs",
                str(folder / "hasil"),
                "--outputs",
                outputs,
                "--provinsi",
                str(settings),
            ]
            samples.append(measure(command))
    seconds = [s.seconds for s in samples]
    rss = [s.peak_rss_mb for s in samples]
    return [
        "",
        "| kab/kota | run | wall s, median (min-max) | ms per workbook | peak RSS MB, median (min-max) |",
        "|---:|---|---|---:|---|",
        f"| {n} | provinsi (nasional, 38 provinsi) | {_median_range(seconds, '.2f')} | "
        f"{statistics.median(seconds) / n * 1000:.1f} | {_median_range(rss, '.0f')} |",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="30,300,3000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "tools" / "bench" / "_work")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    parser.add_argument("--kabkota", type=int, default=514, help="national picture size (0: skip)")
    parser.add_argument(
        "--no-kd", action="store_true", help="skip the KD case (kecamatan workbooks)"
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    region = read_region(config.EXAMPLE_REGION_FILE)
    instrument = read_instrument(region.instrumen)
    print("Menyiapkan berkas uji (tidak diukur)...", flush=True)
    variants = write_variants(instrument, region, args.work)
    results = {}
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"N={n}: {args.rounds} putaran A B C ...", flush=True)
        results[n] = run_size(n, variants, args.work, args.rounds)
    text = report(results, help_time(), args.rounds)
    if args.kabkota:
        print(f"Nasional: {args.kabkota} kab/kota, {args.rounds} putaran ...", flush=True)
        text += "\n" + "\n".join(national_lines(args.kabkota, args.work, args.rounds))
    if not args.no_kd:
        print("KD: 30 workbook kecamatan ...", flush=True)
        text += "\n" + "\n".join(kd_lines(run_kd(args.work, args.rounds)))
    print(text)
    if not args.no_docs:
        write_doc(text)
        print(f"\nDitulis ke {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
