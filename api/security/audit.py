"""A tamper-evident, append-only audit log of who viewed what.

Each entry is one JSON line holding its sequence number, time, user, action, route and the
ids returned, the hash of the previous entry and its own hash:
``hash = sha256(prev_hash + canonical JSON of the entry without "hash")``. Editing or
deleting any line breaks the chain from there on; deleting lines at the end is caught by
the head file (``audit.head``: last sequence number and hash), which is rewritten atomically
with every append. ``dutygraph audit verify`` checks both.

Appends are *group-committed*: :meth:`AuditLog.submit` queues an entry and returns a future;
one writer thread per process takes everything queued, chains it in order, writes it with
one ``write`` and one ``fsync`` under the file lock, rewrites the head, and only then
resolves the futures. A request awaits its entry's future (``asyncio.wrap_future``) before
its response leaves, so every read is durable in the log before anyone sees it, while the
event loop never blocks on the disk and 50 concurrent reads cost one fsync, not 50.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import queue
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
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


#: Most entries chained and written in one group commit.
MAX_BATCH = 512


class AuditLog:
    """The audit log of one DutyGraph home; safe across threads and processes."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.path = home / "audit.log"
        self.head_path = home / "audit.head"
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[tuple[dict[str, Any], Future[AuditEntry]]] = (
            queue.SimpleQueue())
        self._writer: threading.Thread | None = None
        self._writer_pid = 0
        #: Group commits done and entries written by this process (the benchmark reads them).
        self.commits = 0
        self.written = 0

    def _head(self) -> tuple[int, str]:
        if not self.head_path.exists():
            return 0, GENESIS
        seq, _, digest = self.head_path.read_text().strip().partition(" ")
        return int(seq), digest

    def submit(self, user: str, action: str, route: str, ids: Sequence[str],
               detail: dict[str, Any] | None = None) -> Future[AuditEntry]:
        """Queue an entry; the future resolves once it is on disk (fsync), or fails.

        The time stamp is taken now (when the record was read); the sequence number and
        the chain when the writer commits the group.
        """
        entry: dict[str, Any] = {
            "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "user": user, "action": action, "route": route, "ids": list(ids),
            "detail": detail or {},
        }
        done: Future[AuditEntry] = Future()
        self._queue.put((entry, done))
        self._ensure_writer()
        return done

    def append(self, user: str, action: str, route: str, ids: Sequence[str],
               detail: dict[str, Any] | None = None) -> AuditEntry:
        """Append one entry and wait until it is durable (see :meth:`submit`)."""
        return self.submit(user, action, route, ids, detail).result()

    def _ensure_writer(self) -> None:
        # One writer per process (a forked child does not inherit the parent's thread).
        if self._writer is not None and self._writer_pid == os.getpid():
            return
        with self._lock:
            if self._writer is None or self._writer_pid != os.getpid():
                self._writer = threading.Thread(target=self._write_loop,
                                                name="audit-writer", daemon=True)
                self._writer_pid = os.getpid()
                self._writer.start()

    def _write_loop(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                entries = self._commit([e for e, _ in batch])
            except Exception as exc:  # every waiter must hear of it (disk full, ...)
                for _, done in batch:
                    done.set_exception(exc)
                continue
            for entry, (_, done) in zip(entries, batch, strict=True):
                done.set_result(AuditEntry.model_validate(entry))

    def _commit(self, pending: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Chain ``pending`` after the head, write, fsync, rewrite the head (one group)."""
        with self._lock, open(self.path, "ab") as fh:
            # Other processes (uvicorn workers, the CLI) append to the same file.
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                seq, prev = self._head()
                out: list[dict[str, Any]] = []
                for item in pending:
                    seq += 1
                    entry = {"seq": seq, **item, "prev": prev}
                    entry["hash"] = prev = _digest(entry)
                    out.append(entry)
                fh.write(b"".join(orjson.dumps(e) + b"\n" for e in out))
                fh.flush()
                os.fsync(fh.fileno())
                tmp = self.head_path.with_name(f".audit.head.{os.getpid()}.tmp")
                tmp.write_text(f"{seq} {prev}\n")
                os.replace(tmp, self.head_path)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        self.commits += 1
        self.written += len(out)
        return out

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
