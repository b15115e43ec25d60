"""The bundled example's consolidated workbook, compared by content with tests/golden/ (`make golden`).

What is compared and what is ignored is written in tools/golden.py's docstring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.golden import GOLDEN_FILE, build_example_report, flatten


def differences(expected: dict[str, Any], actual: dict[str, Any], path: str = "") -> list[str]:
    """Every place where two flattened workbooks differ, as `sheet/part/key: expected != actual`."""
    found: list[str] = []
    for key in sorted(set(expected) | set(actual)):
        here = f"{path}/{key}"
        left, right = expected.get(key), actual.get(key)
        if isinstance(left, dict) and isinstance(right, dict):
            found += differences(left, right, here)
        elif left != right:
            found.append(f"{here}: {left!r} != {right!r}")
    return found


def test_example_report_matches_the_golden_file(tmp_path: Path) -> None:
    expected = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(flatten(build_example_report(tmp_path))))
    found = differences(expected, actual)
    assert not found, (
        f"{len(found)} perbedaan dengan {GOLDEN_FILE.name} (jalankan `make golden` bila disengaja):\n"
        + "\n".join(found[:20])
    )


def test_a_changed_cell_is_reported_with_its_place() -> None:
    expected = {"Ringkasan": {"cells": {"B6": 668.25}, "state": "visible"}}
    actual = {"Ringkasan": {"cells": {"B6": 600.0}, "state": "visible"}}
    assert differences(expected, actual) == ["/Ringkasan/cells/B6: 668.25 != 600.0"]
