"""What a load records as its change set: who ran it, and every file and sheet its rows came
from, with the file's SHA-256 (:class:`graph.history.model.SourceFile`).

The sources are listed in the order the validator met them (``Collected.sources``), so a
row's source index is its position here and its token ``change.source.row`` names the file,
sheet and row that assert a fact (:mod:`graph.history.facts`).
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from graph.history.model import SourceFile
from loaders.validate import Collected

#: Who made a change from the command line: this variable, else the account's name.
USER_VARIABLE = "DUTYGRAPH_USER"


def operator() -> str:
    """The name a change made from this process is recorded under."""
    name = os.environ.get(USER_VARIABLE, "").strip()
    if name:
        return name[:64]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's numeric user)
        return f"uid-{os.getuid()}"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def digests(paths: Iterable[Path]) -> dict[str, str]:
    """``str(path)`` (the name the readers report rows under) -> SHA-256."""
    out: dict[str, str] = {}
    for p in paths:
        try:
            out[str(p)] = file_sha256(p)
        except OSError:  # unreadable: the reader reports it, and nothing is written
            out[str(p)] = ""
    return out


def load_sources(collected: Collected, sha: dict[str, str]) -> list[SourceFile]:
    """The sources of a load, one per sheet read, in ``collected.sources`` order."""
    return [SourceFile(name=Path(s.file).name, path=s.file, sha256=sha.get(s.file, ""),
                       sheet=s.sheet, table=s.table.name)
            for s in collected.sources]
