"""Evidence files of fulfilment records (佐证材料), kept beside the graph.

A file is stored once, under ``$DUTYGRAPH_HOME/evidence/<aa>/<sha256>`` (``aa`` the first two
hex digits), mode 0600 in a 0700 directory like every file of the home; the record keeps the
name it was uploaded under (``evidence``) and the SHA-256 of its content
(``evidence_sha256``), which names the file and lets anyone check it was not changed.
Content-addressed: the same file uploaded twice is stored once.

>>> import tempfile, pathlib
>>> home = pathlib.Path(tempfile.mkdtemp())
>>> saved = save(home, "会议纪要.pdf", b"%PDF-1.4 minutes")
>>> saved.name, saved.size, read(home, saved.sha256) == b"%PDF-1.4 minutes"
('会议纪要.pdf', 16, True)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import NotFound
from graph.private import private_dir, write_private

_HEX = re.compile(r"^[0-9a-f]{64}$")
#: Characters a stored name keeps (the rest become ``_``): no path, no control characters.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
MAX_NAME = 120


@dataclass(frozen=True)
class Evidence:
    """A stored evidence file: the name it carries, its SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int


def clean_name(name: str) -> str:
    """The file's own name, without any directory part or unsafe character.

    >>> clean_name("../../etc/passwd"), clean_name("C:\\\\材料\\\\纪要 1.docx")
    ('passwd', '纪要 1.docx')
    """
    base = re.split(r"[/\\]", name.strip())[-1]
    base = _UNSAFE.sub("_", base).strip(" .") or "evidence"
    return base[-MAX_NAME:]


def path_of(home: Path, sha256: str) -> Path:
    """Where the file of this SHA-256 is kept (NotFound for anything but 64 hex digits)."""
    if not _HEX.match(sha256):
        raise NotFound("evidence", sha256[:64])
    return home / "evidence" / sha256[:2] / sha256


def save(home: Path, name: str, data: bytes) -> Evidence:
    """Store ``data`` (once per content) and describe it."""
    digest = hashlib.sha256(data).hexdigest()
    path = path_of(home, digest)
    if not path.exists():
        private_dir(path.parent.parent)
        private_dir(path.parent)
        write_private(path, data, sync=True)
    return Evidence(clean_name(name), digest, len(data))


def read(home: Path, sha256: str) -> bytes:
    """The content of a stored file, checked against its SHA-256 (NotFound when missing or
    when the content no longer matches: a changed file is not served as evidence)."""
    path = path_of(home, sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound("evidence", sha256) from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise NotFound("evidence", sha256)
    return data
