"""The project's own error class: raised only when a run cannot go on."""

from __future__ import annotations


class KlaError(Exception):
    """A problem the user must fix before the run can go on; the message is Indonesian.

    `codes` holds the catalogue slugs of the problems listed in the message (messages.SETUP_CATALOGUE).
    """

    def __init__(self, message: str, codes: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.codes = codes


def setup_error(title: str, problems: list[tuple[str, str]]) -> KlaError:
    """One KlaError listing every (slug, message) problem under a title."""
    lines = "\n".join(f"- {message}" for _, message in problems)
    return KlaError(f"{title}\n{lines}", tuple(code for code, _ in problems))
