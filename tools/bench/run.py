"""`make bench`: time (A) consolidate, (B) the naive script, (C) the calamine floor, interleaved.

Usage: python -m tools.bench.run [--sizes 30,300,3000] [--rounds 3] [--work tools/bench/_work] [--no-docs]
    [--kabkota 514] [--no-kd] [--no-verification] [--no-profile]

Before timing, the package is byte-compiled and every command runs once untimed (warm-up): a
coordinator's second run, not the first after installing, is what is measured.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import itertools
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
from tools.bench.profile import profile_lines
from tools.bench.province import write_national
from tools.bench.verification import write_verification_case

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
    with tempfile.TemporaryDirectory(dir=work) as outputs:  # warm-up, not timed
        for command in commands(inputs, Path(outputs)).values():
            measure(command)
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


@dataclass(frozen=True)
class Case:
    """One of the new stages at its real size: what is run, on how many files."""

    label: str
    files: int
    arguments: list[str]  # after `python -m pipeline`


def timed(case: Case, work: Path, rounds: int) -> list[Sample]:
    """`rounds` timed runs of a case (after one untimed), each into fresh outputs."""
    samples = []
    for index in range(rounds + 1):
        with tempfile.TemporaryDirectory(dir=work) as outputs:
            sample = measure([sys.executable, "-m", "pipeline", *case.arguments, outputs])
        if index:
            samples.append(sample)
    return samples


def consolidate_case(label: str, inputs: Path, region_file: Path) -> Case:
    files = sum(1 for _ in inputs.rglob("*.xlsx"))
    arguments = ["consolidate", "--inputs", str(inputs), "--wilayah", str(region_file)]
    return Case(label, files, [*arguments, "--no-progress", "--outputs"])


def kd_case(work: Path) -> Case:
    """tools/bench/kd.py: 30 kecamatan workbooks holding 400 desa rows."""
    region_file, inputs = write_kd_case(work)
    label = f"KD: {KD_KECAMATAN} kecamatan workbooks, {KD_DESA} desa rows"
    return consolidate_case(label, inputs, region_file)


def verification_case(variants: list[Path], work: Path) -> Case:
    """tools/bench/verification.py: every office, and verification workbooks deciding everything."""
    inputs, decided = write_verification_case(variants, work)
    books = sum(1 for _ in (inputs / "verifikasi").glob("*.xlsx"))
    label = f"verification: {books} verification workbooks deciding {decided} questions, + offices"
    return consolidate_case(label, inputs, config.EXAMPLE_REGION_FILE)


def national_case(n: int, work: Path) -> Case:
    """`make provinsi` on n generated kab/kota workbooks (the national picture, 38 provinces)."""
    folder = work / f"nasional{n}"
    settings = write_national(folder / "hasil", n)
    arguments = ["provinsi", "--inputs", str(folder / "hasil"), "--provinsi", str(settings)]
    return Case(f"provinsi: {n} kab/kota workbooks (nasional)", n, [*arguments, "--outputs"])


def case_lines(results: list[tuple[Case, list[Sample]]]) -> list[str]:
    lines = [
        "| case | files | wall s, median (min-max) | ms per file | peak RSS MB, median (min-max) |",
        "|---|---:|---|---:|---|",
    ]
    for case, samples in results:
        seconds = [s.seconds for s in samples]
        rss = [s.peak_rss_mb for s in samples]
        per = statistics.median(seconds) / max(case.files, 1) * 1000
        lines.append(
            f"| {case.label} | {case.files} | {_median_range(seconds, '.2f')} | {per:.1f} | "
            f"{_median_range(rss, '.0f')} |"
        )
    return lines


def growth_lines(results: dict[int, dict[str, list[Sample]]]) -> list[str]:
    """How A grows with N: the marginal time and memory per workbook between measured sizes."""
    sizes = sorted(results)
    lines = []
    for low, high in itertools.pairwise(sizes):
        a_low, a_high = (statistics.median(s.seconds for s in results[n]["A"]) for n in (low, high))
        m_low, m_high = (
            statistics.median(s.peak_rss_mb for s in results[n]["A"]) for n in (low, high)
        )
        per_ms = (a_high - a_low) / (high - low) * 1000
        per_kb = (m_high - m_low) / (high - low) * 1024
        lines.append(
            f"- A from N={low} to N={high}: {per_ms:+.2f} ms and {per_kb:+.0f} KB peak RSS per "
            f"extra workbook."
        )
    return lines


def target_lines(
    results: dict[int, dict[str, list[Sample]]],
    helps: list[float],
    cases: list[tuple[Case, list[Sample]]],
) -> list[str]:
    """The issue's targets, each with the value measured in this run."""

    def median(n: int, key: str) -> float:
        return statistics.median(s.seconds for s in results[n][key])

    rows = []
    if 30 in results:
        ratio = median(30, "A") / median(30, "B")
        rows.append(("N=30: A/B <= 1.0", f"{ratio:.2f}", ratio <= 1.0))
    if 3000 in results:
        ab, ac = median(3000, "A") / median(3000, "B"), median(3000, "A") / median(3000, "C")
        rows.append(("N=3,000: A/B <= 0.10", f"{ab:.3f}", ab <= 0.10))
        rows.append(("N=3,000: A/C <= 2.0", f"{ac:.2f}", ac <= 2.0))
        rss = statistics.median(s.peak_rss_mb for s in results[3000]["A"])
        rows.append(("N=3,000: peak RSS < 600 MB", f"{rss:.0f} MB", rss < 600))
    for case, samples in cases:
        if case.arguments[0] == "provinsi":
            rss = statistics.median(s.peak_rss_mb for s in samples)
            rows.append((f"{case.label}: peak RSS < 600 MB", f"{rss:.0f} MB", rss < 600))
    help_ms = statistics.median(helps) * 1000
    rows.append(("`python -m pipeline --help` < 100 ms", f"{help_ms:.0f} ms", help_ms < 100))
    lines = ["| target | this run | met? |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {'yes' if met else '**no**'} |" for name, value, met in rows]
    return lines


def report(
    results: dict[int, dict[str, list[Sample]]],
    helps: list[float],
    rounds: int,
    cases: list[tuple[Case, list[Sample]]],
    profiles: list[tuple[str, list[str]]],
) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `make bench` ({rounds} interleaved rounds per "
        "size, after one untimed warm-up round).",
        "",
        *machine(),
        f"- Fixed cost, `python -m pipeline --help`: median {statistics.median(helps) * 1000:.0f} ms "
        f"(min {min(helps) * 1000:.0f}, max {max(helps) * 1000:.0f})",
        "",
        *table(results),
        "",
        "Growth with N:",
        "",
        *growth_lines(results),
    ]
    if cases:
        lines += [
            "",
            "The new stages at their real sizes (A: consolidate or provinsi end to end):",
            "",
        ]
        lines += case_lines(cases)
    lines += ["", "Targets:", "", *target_lines(results, helps, cases)]
    for title, profile in profiles:
        lines += ["", f"Profile, {title} (cProfile, one process, `--jobs 1`):", "", *profile]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else f"{START}\n{END}\n"
    head, _, rest = current.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def profiles_of(
    results: dict[int, dict[str, list[Sample]]], cases: list[tuple[Case, list[Sample]]], work: Path
) -> list[tuple[str, list[str]]]:
    """The profile of A at the smallest and largest size, and of each case."""
    found = []
    for n in sorted({min(results), max(results)}):
        inputs = work / f"n{n}"
        with tempfile.TemporaryDirectory(dir=work) as outputs:
            arguments = commands(inputs, Path(outputs))["A"][3:]
            found.append((f"A at N={n}", profile_lines([*arguments, "--jobs", "1"], ROOT, work)))
    for case, _ in cases:
        with tempfile.TemporaryDirectory(dir=work) as outputs:
            arguments = [*case.arguments, outputs]
            if case.arguments[0] == "consolidate":
                arguments += ["--jobs", "1"]
            found.append((case.label, profile_lines(arguments, ROOT, work)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="30,300,3000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "tools" / "bench" / "_work")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    parser.add_argument("--kabkota", type=int, default=514, help="national picture size (0: skip)")
    parser.add_argument("--no-kd", action="store_true", help="skip the KD case")
    parser.add_argument("--no-verification", action="store_true", help="skip the verification case")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile runs")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(ROOT / "pipeline", quiet=1)  # as after a first run: bytecode cached
    region = read_region(config.EXAMPLE_REGION_FILE)
    instrument = read_instrument(region.instrumen)
    print("Menyiapkan berkas uji (tidak diukur)...", flush=True)
    variants = write_variants(instrument, region, args.work)
    results = {}
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"N={n}: {args.rounds} putaran A B C ...", flush=True)
        results[n] = run_size(n, variants, args.work, args.rounds)
    helps = help_time()
    planned = []
    if not args.no_kd:
        planned.append(kd_case(args.work))
    if not args.no_verification:
        planned.append(verification_case(variants, args.work))
    if args.kabkota:
        planned.append(national_case(args.kabkota, args.work))
    cases = []
    for case in planned:
        print(f"{case.label}: {args.rounds} putaran ...", flush=True)
        cases.append((case, timed(case, args.work, args.rounds)))
    profiles = [] if args.no_profile else profiles_of(results, cases, args.work)
    text = report(results, helps, args.rounds, cases, profiles)
    print(text)
    if not args.no_docs:
        write_doc(text)
        print(f"\nDitulis ke {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
