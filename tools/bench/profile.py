"""The profile part of `make bench`: one run under cProfile (one process), its stages and its top.

Stages are the cumulative times of the stage functions the orchestrator calls; the top lists the
functions with the most time of their own. cProfile slows pure-Python code more than C code, so
the shares matter here, not the seconds.
"""

from __future__ import annotations

import os
import pstats
import re
import subprocess
import sys
import tempfile
from pathlib import Path

STAGES = (
    ("imports of `pipeline consolidate`", "consolidate.py", "<module>"),
    ("read inputs (ingest)", "files.py", "read_inputs"),
    ("validate (pandera)", "validate.py", "validate_answers"),
    ("merge", "merge.py", "merge_answers"),
    ("score (incl. KD roll-up, decisions)", "results.py", "score_results"),
    ("write CSV/JSON exports", "export.py", "write_exports"),
    ("write consolidated workbook", "workbook.py", "write_report"),
    ("write feedback workbooks", "feedback.py", "write_feedback"),
    ("write send list", "sendlist.py", "write_send_list"),
    ("write verification workbooks", "verification.py", "write_verification_workbooks"),
    ("province: read workbooks", "read.py", "read_province_inputs"),
    ("province: write workbook", "report.py", "write_province_report"),
)
TOP = 12


def profile_lines(arguments: list[str], cwd: Path, work: Path) -> list[str]:
    """Run `python -m pipeline <arguments>` under cProfile (tools/bench/profiled.py); markdown lines."""
    with tempfile.TemporaryDirectory(dir=work) as folder:
        output = Path(folder) / "run.prof"
        command = [sys.executable, "-m", "tools.bench.profiled", str(output), *arguments]
        env = {**os.environ, "PYTHONPATH": str(cwd)}
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=env)
        stats = pstats.Stats(str(output))
    return [*stage_lines(stats), "", *top_lines(stats)]


def stage_lines(stats: pstats.Stats) -> list[str]:
    table = stats.stats  # type: ignore[attr-defined]
    total = max(entry[3] for entry in table.values())
    lines = ["| stage | cumulative s (profiled) | share |", "|---|---:|---:|"]
    for label, filename, function in STAGES:
        found = [
            entry[3]
            for (path, _, name), entry in table.items()
            if name == function and path.endswith(filename) and "pipeline" in path
        ]
        if found:
            seconds = max(found)
            lines.append(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f} % |")
    lines.append(f"| whole run | {total:.2f} | 100 % |")
    return lines


def top_lines(stats: pstats.Stats) -> list[str]:
    table = stats.stats  # type: ignore[attr-defined]
    ranked = sorted(table.items(), key=lambda item: -item[1][2])[:TOP]
    lines = ["| own time s | calls | function |", "|---:|---:|---|"]
    for (path, line, name), entry in ranked:
        where = f" ({_short(path)}:{line})" if line else ""
        lines.append(f"| {entry[2]:.3f} | {entry[1]} | `{name}`{where} |")
    return lines


def _short(path: str) -> str:
    """`pandas/core/frame.py`, `pipeline/wrap.py`, `re/_parser.py`; built-ins stay as they are."""
    for pattern in (r"site-packages/(.+)$", r"/(pipeline/.+)$", r"python3\.\d+/(.+)$"):
        match = re.search(pattern, path)
        if match:
            return match.group(1)
    return path
