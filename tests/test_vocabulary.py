"""Every status word, sheet name, header text and output file name has one home (tables/config/messages)."""

from __future__ import annotations

import ast
from pathlib import Path

from pipeline import config, tables

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
HOMES = {"tables.py", "config.py", "messages.py"}
VOCAB_PREFIXES = {
    tables: ("STATUS_", "SENT_", "ACTION_", "BASE_", "EVIDENCE_", "FILE_", "SEVERITY_"),
    config: ("SHEET_", "COL_", "ID_", "OUT_", "REPORT_"),
}
# Column names of the stage contracts: a word that is also a column (e.g. "dijawab") may be used as a
# column key; only comparing a value against it spells the status word.
COLUMNS = {
    column
    for name in dir(tables)
    if name.isupper()
    for column in getattr(tables, name) or ()
    if isinstance(getattr(tables, name), tuple) and isinstance(column, str)
}


def vocabulary() -> dict[str, str]:
    """Word -> the constant that is its home."""
    words: dict[str, str] = {}
    for module, prefixes in VOCAB_PREFIXES.items():
        for name in dir(module):
            value = getattr(module, name)
            if name.startswith(prefixes) and isinstance(value, str):
                words[value] = f"{module.__name__}.{name}"
    return words


def compared_strings(tree: ast.AST) -> set[int]:
    """ids of string constants used as a comparison operand or as the argument of eq/ne/isin."""
    found: set[int] = set()
    for node in ast.walk(tree):
        operands: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"eq", "ne", "isin"}
        ):
            operands = list(node.args)
        for operand in operands:
            items = (
                operand.elts if isinstance(operand, ast.Tuple | ast.List | ast.Set) else [operand]
            )
            found.update(id(item) for item in items if isinstance(item, ast.Constant))
    return found


def spelled_outside_home() -> list[str]:
    words = vocabulary()
    found = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name in HOMES and path.parent == PIPELINE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        compared = compared_strings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            home = words.get(node.value)
            if home is None or (node.value in COLUMNS and id(node) not in compared):
                continue
            found.append(
                f"{path.relative_to(PIPELINE.parent)}:{node.lineno} {node.value!r} -> {home}"
            )
    return found


def test_vocabulary_has_one_home() -> None:
    assert spelled_outside_home() == []


def test_vocabulary_covers_the_statuses() -> None:
    words = vocabulary()
    for word in ("dijawab", "belum mengirim", "Data Dukung", "masalah.csv", "Ringkasan", "Isian"):
        assert word in words


def test_no_test_module_imports_another() -> None:
    """Shared builders live in tests/builders.py; test modules never import each other."""
    tests_dir = Path(__file__).resolve().parent
    found = []
    for path in sorted(tests_dir.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module and module.startswith("tests.") and module != "tests.builders":
                found.append(f"{path.name}: {module}")
    assert found == []
