"""Identitas contact values as the office typed them: a mobile number keeps its leading zero."""

from __future__ import annotations

import math
import re
from typing import Any

from pipeline.answers import format_number

# An Indonesian mobile number without its trunk zero, as a number cell stores 0812-3456-789:
# 8 followed by 8 to 11 digits.
MOBILE_WITHOUT_ZERO = re.compile(r"^8\d{8,11}$")


def restored_phone(value: Any) -> str | None:
    """`0812...` for a number cell that lost the leading zero of a mobile number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    digits = format_number(float(value))
    return "0" + digits if MOBILE_WITHOUT_ZERO.match(digits) else None
