"""Fuzz: a returned workbook with random bytes changed never crashes or hangs the per-file reader.

Mutations hit the zip container itself and the inflated XML members (re-zipped). The reader must return
a Submission, either normal or with the project's own issues, within a per-example time limit.
"""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline import tables
from pipeline.ingest.files import read_submission
from pipeline.ingest.workbook import Submission
from pipeline.instrument import Instrument
from pipeline.messages import CATALOGUE
from pipeline.region import Region
from tests.builders import dukcapil

EXAMPLE_SECONDS = 20  # generous on 2 shared cores; a hang would never end
STATUSES = {tables.FILE_USED, tables.FILE_REJECTED, tables.FILE_NOT_WORKBOOK}
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate"]),
        st.floats(min_value=0, max_value=1, exclude_max=True),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=4,
)


@pytest.fixture(scope="module")
def valid_bytes(template_paths: dict[str, Path]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return dukcapil(Path(folder) / "dukcapil.xlsx", template_paths).read_bytes()


def mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    for kind, where, payload in mutations:
        at = int(where * len(data)) if data else 0
        if kind == "flip" and data:
            data = data[:at] + bytes([data[at] ^ (payload[0] or 1)]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + payload + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(payload) :]
        else:
            data = data[:at]
    return data


def mutate_member(data: bytes, index: int, mutations: list[tuple[str, float, bytes]]) -> bytes:
    """Mutate the inflated bytes of one member and zip the workbook again."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        infos = source.infolist()
        chosen = infos[index % len(infos)].filename
        for info in infos:
            body = source.read(info)
            target.writestr(info, mutate(body, mutations) if info.filename == chosen else body)
    return out.getvalue()


def read_with_deadline(data: bytes, instrument: Instrument, region: Region) -> Submission:
    """read_submission on the bytes saved as an .xlsx, in a thread given EXAMPLE_SECONDS to finish."""
    outcome: list[Submission | BaseException] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acak.xlsx"
        path.write_bytes(data)

        def target() -> None:
            try:
                outcome.append(read_submission(path, Path(folder), instrument, region))
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        worker.join(EXAMPLE_SECONDS)
        assert not worker.is_alive(), "reader did not finish: a hang"
    result = outcome[0]
    if isinstance(result, BaseException):
        raise AssertionError(f"reader raised {type(result).__name__}: {result}") from result
    return result


def assert_own_result(result: Submission) -> None:
    event(",".join(sorted({found["code"] for found in result.issues})) or result.file["status"])
    assert result.file["status"] in STATUSES
    assert all(found["code"] in CATALOGUE for found in result.issues)
    if result.file["status"] == tables.FILE_REJECTED:
        assert any(found["severity"] == tables.SEVERITY_ERROR for found in result.issues)
        assert result.cells == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=MUTATIONS)
def test_container_mutations(
    valid_bytes: bytes, instrument: Instrument, region: Region, mutations: list
) -> None:
    assert_own_result(read_with_deadline(mutate(valid_bytes, mutations), instrument, region))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0, max_value=50), mutations=MUTATIONS)
def test_member_mutations(
    valid_bytes: bytes, instrument: Instrument, region: Region, index: int, mutations: list
) -> None:
    mutated = mutate_member(valid_bytes, index, mutations)
    assert_own_result(read_with_deadline(mutated, instrument, region))
