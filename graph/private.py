"""Files only the service account may read: the DutyGraph home and everything in it.

The home holds named cadres' records (``graph.json``), password hashes (``users.json``),
the audit log, sessions and keys. It is a directory of mode 0700 and every file DutyGraph
writes into it has mode 0600, whatever the process umask: modes are set explicitly with
``chmod``/``fchmod`` after creation, because ``open``/``mkdir`` modes are only an upper
bound that the umask narrows (a umask of 0277 would leave a file the owner cannot write).

>>> import tempfile, pathlib, stat
>>> home = private_dir(pathlib.Path(tempfile.mkdtemp()) / "home")
>>> oct(stat.S_IMODE(home.stat().st_mode))
'0o700'
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; make ``path`` itself mode 0700.

    An existing home of an older version (0755) is tightened too. Parents are created with
    the process's defaults: they are the operator's (``~/.local/share``), not ours.
    """
    path.mkdir(parents=True, exist_ok=True)
    st = path.stat()
    if st.st_mode & 0o777 != DIR_MODE and st.st_uid == os.geteuid():
        os.chmod(path, DIR_MODE)
    return path


def open_private(path: Path, flags: int) -> int:
    """``os.open`` for a file of the home: created 0600, and an existing one set to 0600.

    ``flags`` are the usual ``os.O_*`` flags (``O_CREAT`` is added). Returns the file
    descriptor.
    """
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        if os.fstat(fd).st_mode & 0o777 != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Replace ``path`` atomically with ``data`` (a 0600 temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = open_private(tmp, os.O_WRONLY | os.O_TRUNC)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def touch_private(path: Path) -> Path:
    """Create ``path`` empty (0600) if missing, or set an existing file to 0600."""
    os.close(open_private(path, os.O_RDONLY))
    return path


def secret_file(path: Path) -> str:
    """The random key kept in ``path``, made once (mode 600) when missing.

    Made whole in a temporary file and linked into place, so a second process starting at
    the same moment reads either no file or the whole key, never an empty one.
    """
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with os.fdopen(open_private(tmp, os.O_WRONLY | os.O_TRUNC), "w") as fh:
                fh.write(secrets.token_urlsafe(48))
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):  # another process was first
                os.link(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
    with os.fdopen(open_private(path, os.O_RDONLY)) as fh:  # an older key: made 600 too
        key = fh.read().strip()
    if not key:
        raise OSError(f"{path} is empty: delete it to have a new key made")
    return key
