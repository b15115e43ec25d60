"""pandera.pandas, loaded without its data-synthesis strategies.

pandera imports its strategies, and with them all of hypothesis (about 0.15 s of every run), whenever
hypothesis is installed (it is: the tests use it), on the first `validate`. Validation never
synthesises data, so unless hypothesis is already loaded (under pytest), pandera is told it is
absent while it and its strategies load; afterwards `import hypothesis` works as usual.
"""

from __future__ import annotations

import sys

_HIDE_HYPOTHESIS = "hypothesis" not in sys.modules
if _HIDE_HYPOTHESIS:
    sys.modules["hypothesis"] = None  # type: ignore[assignment]
try:
    import pandera.pandas as pa
    import pandera.strategies.pandas_strategies  # noqa: F401  (loaded by the first validate)
finally:
    if _HIDE_HYPOTHESIS:
        del sys.modules["hypothesis"]

__all__ = ["pa"]
