"""A tamper-evident, append-only audit log of who viewed what.

Each entry is one JSON line holding its sequence number, time, user, action, route and the
ids returned, the hash of the previous entry and its own hash, a keyed one:
``hash = HMAC-SHA256(key, prev_hash + canonical JSON of the entry without "hash")``. Editing
or deleting any line breaks the chain from there on, and without the key nobody can compute
a new chain over an edited log (a plain SHA-256 chain anyone can recompute). The key lives
outside the log: ``$DUTYGRAPH_HOME/audit.key`` (mode 600, made once) or the file named by
``DUTYGRAPH_AUDIT_KEY_FILE``. Deleting lines at the end is caught by the head file
(``audit.head``: last sequence number and hash), rewritten atomically with every append,
and -- when the head file was rewritten too -- by a copy of the head kept elsewhere
(``dutygraph audit verify --head COPY``). ``dutygraph audit verify`` checks all of these.

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
import hmac
import os
import queue
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from graph.private import open_private, private_dir, secret_file, write_private
from graph.settings import Settings

GENESIS = "0" * 64
KEY_FILE = "audit.key"


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


def _digest(entry: dict[str, Any], key: bytes) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hmac.new(key, str(entry["prev"]).encode()
                    + orjson.dumps(body, option=orjson.OPT_SORT_KEYS), hashlib.sha256
                    ).hexdigest()


def read_head(path: Path) -> tuple[int, str]:
    """``(sequence number, hash)`` of a head file (``audit.head`` or a copy of it).

    Raises ValueError when the file does not hold a head.
    """
    seq, _, digest = path.read_text().strip().partition(" ")
    if not seq.isdigit() or len(digest) != 64:
        raise ValueError(f"{path} is not an audit head (\"SEQ HASH\")")
    return int(seq), digest


#: Most entries chained and written in one group commit.
MAX_BATCH = 512


class AuditLog:
    """The audit log of one DutyGraph home; safe across threads and processes."""

    def __init__(self, home: Path, key_path: Path | None = None) -> None:
        private_dir(home)
        self.path = home / "audit.log"
        self.head_path = home / "audit.head"
        self.key_path = key_path or home / KEY_FILE
        self._key: bytes | None = None
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[tuple[dict[str, Any], Future[AuditEntry]]] = (
            queue.SimpleQueue())
        self._writer: threading.Thread | None = None
        self._writer_pid = 0
        #: Group commits done and entries written by this process (the benchmark reads them).
        self.commits = 0
        self.written = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog:
        return cls(settings.home, settings.audit_key_file)

    def key(self) -> bytes:
        """The chain's key, made once when missing (only the writer makes it)."""
        if self._key is None:
            self._key = secret_file(self.key_path).encode()
        return self._key

    def _head(self) -> tuple[int, str]:
        if not self.head_path.exists():
            return 0, GENESIS
        return read_head(self.head_path)

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
        key = self.key()
        fd = open_private(self.path, os.O_WRONLY | os.O_APPEND)
        with self._lock, os.fdopen(fd, "ab") as fh:
            # Other processes (uvicorn workers, the CLI) append to the same file.
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                seq, prev = self._head()
                out: list[dict[str, Any]] = []
                for item in pending:
                    seq += 1
                    entry = {"seq": seq, **item, "prev": prev}
                    entry["hash"] = prev = _digest(entry, key)
                    out.append(entry)
                fh.write(b"".join(orjson.dumps(e) + b"\n" for e in out))
                fh.flush()
                os.fsync(fh.fileno())
                write_private(self.head_path, f"{seq} {prev}\n".encode())
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

    def verify(self, saved_head: tuple[int, str] | None = None) -> VerifyResult:
        """Check the keyed chain, the head file and, when given, a copy of the head kept
        elsewhere (``saved_head``: that entry must still be in the log, unchanged)."""
        problems: list[str] = []
        prev, expected_seq, count = GENESIS, 1, 0
        wanted = saved_head[0] if saved_head is not None else None
        at_saved: str | None = None  # the hash of the log's entry the saved head names
        key = self._key or (secret_file(self.key_path).encode() if self.key_path.exists()
                            else None)
        if key is None and self.path.exists() and self.path.stat().st_size:
            problems.append(f"the audit key {self.key_path} is missing: the chain cannot be "
                            "checked (restore the key from its backup)")
        if key is not None and self.path.exists():
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
                    if _digest(entry, key) != entry.get("hash"):
                        problems.append(f"line {lineno}: hash mismatch (entry edited, or the "
                                        "chain recomputed without the audit key)")
                    prev = str(entry.get("hash"))
                    expected_seq = int(entry.get("seq", expected_seq)) + 1
                    if expected_seq - 1 == wanted:
                        at_saved = prev
        head_seq, head_hash = self._head()
        if (head_seq, head_hash) != (expected_seq - 1, prev if count else GENESIS):
            problems.append(
                f"head says entry {head_seq} is the last, the log ends at {expected_seq - 1} "
                "(entries deleted at the end, or the head file changed)")
        if saved_head is not None:
            seq, digest = saved_head
            if seq > expected_seq - 1:
                problems.append(f"the saved head names entry {seq}, the log ends at "
                                f"{expected_seq - 1} (entries deleted at the end)")
            elif seq and at_saved != digest:
                problems.append(f"entry {seq} differs from the saved head (the log was "
                                "rewritten up to there)")
        return VerifyResult(ok=not problems, entries=count, problems=problems)
