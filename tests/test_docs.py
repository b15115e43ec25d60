"""The README stays true: every make target, CLI command and option, and every doc it links exist."""

from __future__ import annotations

import argparse
import re

from pipeline import config
from pipeline.cli import build_parser

README = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def _make_targets() -> list[str]:
    makefile = (config.PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    return re.findall(r"^([a-z]+):.*## ", makefile, flags=re.MULTILINE)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_readme_mentions_every_make_target() -> None:
    targets = _make_targets()
    assert {"templates", "consolidate", "test", "lint", "help"} <= set(targets)
    assert [t for t in targets if f"make {t}" not in README] == []


def test_readme_mentions_every_cli_command_and_option() -> None:
    for name, parser in _subcommands().items():
        assert f"python -m pipeline {name}" in README, name
        options = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
        assert [o for o in options if o not in ("--help",) and o not in README] == [], name


def test_linked_docs_exist() -> None:
    links = re.findall(r"\]\(((?:docs|contoh)/[^)#]+)\)", README)
    assert links
    assert [link for link in links if not (config.PROJECT_DIR / link).exists()] == []


def test_quick_start_commands_come_first() -> None:
    quick = README.index("make consolidate")
    assert quick < README.index("make test") < README.index("make templates")
    assert quick < README.index("## Tentang alat ini")
