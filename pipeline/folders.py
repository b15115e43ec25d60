"""The run's two folders: inputs and outputs kept apart, and one run at a time per outputs folder."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from pipeline import config
from pipeline.errors import KlaError, OutputsError

try:  # POSIX: a lock the kernel drops when its process dies, so a killed run never leaves it stuck
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def check_separate(inputs_dir: Path, outputs_dir: Path) -> None:
    """Refuse outputs equal to inputs, or one inside the other, before anything is read or written."""
    inputs, outputs = Path(inputs_dir).resolve(), Path(outputs_dir).resolve()
    if inputs == outputs:
        relation = "sama dengan"
    elif outputs.is_relative_to(inputs):
        relation = "berada di dalam"
    elif inputs.is_relative_to(outputs):
        relation = "berisi"
    else:
        return
    raise KlaError(
        f"folder hasil {outputs_dir} {relation} folder isian {inputs_dir}. Hasil konsolidasi akan "
        f"terbaca sebagai kiriman OPD, dan berkas di folder isian bisa tertimpa. Pakai dua folder "
        f"terpisah, misalnya INPUTS=inputs OUTPUTS=outputs (--inputs inputs --outputs outputs). "
        f"Tidak ada berkas yang dibaca atau ditulis."
    )


# Exit codes of a run that could not write its outputs (cli.py documents them).
EXIT_NOT_WRITABLE = 4
EXIT_NO_SPACE = 5
NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextlib.contextmanager
def speaking_write_errors(outputs_dir: Path, manifest_name: str) -> Iterator[None]:
    """Turn an OSError while the run reads or writes its folders into one Indonesian OutputsError."""
    try:
        yield
    except OSError as exc:
        raise OutputsError(
            _write_error_text(exc, Path(outputs_dir), manifest_name), _code(exc)
        ) from exc


def _code(exc: OSError) -> int:
    return EXIT_NO_SPACE if exc.errno in NO_SPACE else EXIT_NOT_WRITABLE


def _write_error_text(exc: OSError, outputs_dir: Path, manifest_name: str) -> str:
    where = exc.filename or outputs_dir
    if exc.errno in NOT_WRITABLE:
        what, todo = (
            "tidak boleh ditulis",
            "beri izin tulis pada folder itu atau pakai folder hasil lain",
        )
    elif exc.errno in NO_SPACE:
        what, todo = (
            "tidak dapat ditulis: disk penuh atau batas ukuran berkas",
            "kosongkan ruang disk",
        )
    else:
        what, todo = f"tidak dapat ditulis ({exc.strerror})", "periksa disk dan folder hasil"
    if (outputs_dir / manifest_name).exists():
        state = "hasil sebelumnya tetap utuh"
    else:
        state = f"hasil di {outputs_dir} belum lengkap (tanpa {manifest_name})"
    return f"{where} {what}. Berkas isian tidak diubah; {state}. {todo.capitalize()} lalu jalankan lagi."


@contextlib.contextmanager
def outputs_lock(outputs_dir: Path) -> Iterator[Path]:
    """Hold the outputs folder's lock file for one run; a second live run stops with a KlaError.

    The lock is an OS lock (flock) on `config.LOCK_FILE`: a run killed with SIGKILL loses it at once,
    whatever PID the file still names. The file is removed when the run ends.
    """
    path = Path(outputs_dir) / config.LOCK_FILE
    fd = _acquire(path)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, _owner_line().encode("utf-8"))
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _acquire(path: Path) -> int:
    """Open and lock the lock file; retry if it was replaced between the open and the lock."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        if not _try_lock(fd):
            holder = _read_owner(fd)
            os.close(fd)
            raise KlaError(
                f"konsolidasi lain sedang menulis ke folder hasil {path.parent} ({holder}). "
                f"Tunggu sampai selesai lalu jalankan lagi, atau pakai folder hasil lain "
                f"(OUTPUTS=...). Hasil sebelumnya tidak diubah."
            )
        if _same_file(fd, path):
            return fd
        os.close(fd)  # the holder removed it after we opened it: lock the new one


def _try_lock(fd: int) -> bool:
    if fcntl is None:  # pragma: no cover - Windows: no flock; runs are not serialised there
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _owner_line() -> str:
    started = dt.datetime.now().replace(microsecond=0).isoformat()
    return f"pid {os.getpid()} di {socket.gethostname()}, mulai {started}\n"


def _read_owner(fd: int) -> str:
    text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    return text or "pemilik tidak diketahui"
