"""A tamper-evident, append-only audit log of who viewed what.

Each entry is one JSON line holding its sequence number, time, user, action, route and the
ids returned, the hash of the previous entry and its own hash:
``hash = sha256(prev_hash + canonical JSON of the entry without "hash")``. Editing or
deleting any line breaks the chain from there on; deleting lines at the end is caught by
the head file (``audit.head``: last sequence number and hash), which is rewritten atomically
with every append. ``dutygraph audit verify`` checks both.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

GENESIS = "0" * 64


class AuditEntry(BaseModel):
    seq: int
    ts: str
    user: str
    action: str
    route: str
    ids: list[str]
    detail: dict[str, Any] = {}
    prev: str
    hash: str = ""


class VerifyResult(BaseModel):
    ok: bool
    entries: int
    problems: list[str]


def _digest(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(
        entry["prev"].encode() + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


class AuditLog:
    """The audit log of one DutyGraph home; safe across threads and processes."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.path = home / "audit.log"
        self.head_path = home / "audit.head"
        self._lock = threading.Lock()

    def _head(self) -> tuple[int, str]:
        if not self.head_path.exists():
            return 0, GENESIS
        seq, _, digest = self.head_path.read_text().strip().partition(" ")
        return int(seq), digest

    def append(self, user: str, action: str, route: str, ids: Sequence[str],
               detail: dict[str, Any] | None = None) -> AuditEntry:
        with self._lock, open(self.path, "ab") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                seq, prev = self._head()
                entry = {
                    "seq": seq + 1,
                    "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                    "user": user, "action": action, "route": route, "ids": list(ids),
                    "detail": detail or {}, "prev": prev,
                }
                entry["hash"] = _digest(entry)
                fh.write(orjson.dumps(entry) + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
                tmp = self.head_path.with_name(f".audit.head.{os.getpid()}.tmp")
                tmp.write_text(f"{entry['seq']} {entry['hash']}\n")
                os.replace(tmp, self.head_path)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return AuditEntry.model_validate(entry)

    def entries(self) -> Iterator[AuditEntry]:
        if not self.path.exists():
            return
        with open(self.path, "rb") as fh:
            for line in fh:
                if line.strip():
                    yield AuditEntry.model_validate(orjson.loads(line))

    def who_viewed(self, uid: str, limit: int = 200) -> list[AuditEntry]:
        """Entries whose returned ids include ``uid``, newest first."""
        hits = [e for e in self.entries() if uid in e.ids]
        return list(reversed(hits))[:limit]

    def verify(self) -> VerifyResult:
        problems: list[str] = []
        prev, expected_seq, count = GENESIS, 1, 0
        if self.path.exists():
            with open(self.path, "rb") as fh:
                for lineno, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        entry = orjson.loads(line)
                    except orjson.JSONDecodeError:
                        problems.append(f"line {lineno}: not valid JSON (edited?)")
                        prev = ""
                        continue
                    count += 1
                    if entry.get("seq") != expected_seq:
                        problems.append(
                            f"line {lineno}: sequence {entry.get('seq')} where {expected_seq} "
                            "was expected (entries deleted or reordered)")
                    if entry.get("prev") != prev:
                        problems.append(f"line {lineno}: chain broken (previous entry changed "
                                        "or deleted)")
                    if _digest(entry) != entry.get("hash"):
                        problems.append(f"line {lineno}: hash mismatch (entry edited)")
                    prev = str(entry.get("hash"))
                    expected_seq = int(entry.get("seq", expected_seq)) + 1
        head_seq, head_hash = self._head()
        if (head_seq, head_hash) != (expected_seq - 1, prev if count else GENESIS):
            problems.append(
                f"head says entry {head_seq} is the last, the log ends at {expected_seq - 1} "
                "(entries deleted at the end, or the head file changed)")
        return VerifyResult(ok=not problems, entries=count, problems=problems)
