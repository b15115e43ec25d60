"""How many lines a wrapped cell needs, counted the way LibreOffice and Excel wrap it.

LibreOffice does not grow rows that xlsxwriter wrote, so every row height is set from this count:
a row that is too short prints its text cut (a long link or file name looked cut off).
Text wraps at spaces and after '/' and '-'; a word longer than the line is split anywhere.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

# A word piece ends at a space, or just after '/' or '-' (where both applications also break).
PIECE = re.compile(r"[^ \t/\-]*[/\-]?")


def wrapped_lines(text: str, chars: int) -> int:
    """Lines a cell `chars` characters wide needs for `text` (at least 1 per paragraph)."""
    chars = max(chars, 1)
    if len(text) <= chars and "\n" not in text:  # one paragraph no longer than a line
        return 1
    return _wrapped_lines(text, chars)


# Every row of every workbook asks for its cells' lines; the same texts (questions, file names,
# messages) come back in the report, the feedback and the verification workbooks.
@lru_cache(maxsize=16384)
def _wrapped_lines(text: str, chars: int) -> int:
    return sum(_paragraph_lines(paragraph, chars) for paragraph in text.split("\n"))


def _paragraph_lines(paragraph: str, chars: int) -> int:
    lines, used = 1, 0
    for word in paragraph.split():
        pieces = [p for p in PIECE.findall(word) if p]
        for index, piece in enumerate(pieces):
            gap = 1 if used and index == 0 else 0  # a space before a new word
            if used + gap + len(piece) <= chars:
                used += gap + len(piece)
                continue
            if used:
                lines += 1
            extra = math.ceil(len(piece) / chars) - 1  # a piece longer than a line is split
            lines += extra
            used = len(piece) - extra * chars
    return lines
