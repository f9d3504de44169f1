"""Security state shared by every server process: ``$DUTYGRAPH_HOME/security.db``.

``dutygraph serve --workers N`` runs N processes, and the CLI changes accounts from yet
another one, so what must hold across all of them lives in one SQLite database in WAL mode
(readers never wait for the writer; writers take SQLite's lock, which holds across
threads and processes):

* **login attempts** — one row per attempt and key (``user:NAME``, ``ip:ADDRESS``),
  *reserved before the password is checked* in one ``BEGIN IMMEDIATE`` transaction that
  counts and inserts: of any burst, however parallel, at most ``limit`` attempts per key
  reach the password check within ``window`` seconds; a successful login gives its
  attempt back and clears the user's failures;
* **browser sessions** — the cookie carries a random session id; only its SHA-256 is
  stored, with the user and the expiry. Deleting rows ends sessions at once: logout (one),
  password change, disabling, ``dutygraph users signout`` (all of a user's);
* **token use** — when each API token was last used (written at most once a minute per
  token and process, so a busy client costs no write per request).

The file is created 0600 (SQLite gives its ``-wal``/``-shm`` files the same mode).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.private import private_dir, touch_private

FILE = "security.db"
#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT = 30.0
#: Token use is written at most this often per token and process.
TOKEN_USE_EVERY = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_attempts (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_attempts_key ON login_attempts (key, at);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, username TEXT NOT NULL, created REAL NOT NULL,
    expires REAL NOT NULL, ip TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (username);
CREATE TABLE IF NOT EXISTS token_use (token_id TEXT PRIMARY KEY, last_used REAL NOT NULL);
"""


@dataclass(frozen=True)
class Attempt:
    """A login attempt admitted to the password check (its reserved rows)."""

    rows: tuple[int, ...]
    user_key: str


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class SecurityState:
    """The security database of one DutyGraph home; safe across threads and processes."""

    def __init__(self, home: Path) -> None:
        private_dir(home)
        self.path = touch_private(home / FILE)
        self._local = threading.local()
        self._token_written: dict[str, float] = {}
        # (executescript commits on its own: not inside a transaction of ours.)
        self._db().executescript(_SCHEMA)

    # -- connections -----------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (a forked worker opens its own)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL: a commit is durable against a crash of the process; an OS
            # crash may lose the last commits (attempts, sessions), never corrupt the file.
            db.execute("PRAGMA synchronous=NORMAL")
            local.db, local.pid = db, os.getpid()
        conn: sqlite3.Connection = local.db
        return conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: the database lock is taken at once (``BEGIN IMMEDIATE``), so
        what is counted inside cannot change before the commit."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- login attempts ----------------------------------------------------------------------
    def begin_login(self, keys: Sequence[str], limit: int, window: float
                    ) -> tuple[int, Attempt | None]:
        """Reserve one attempt under every key, or refuse.

        Returns ``(0, attempt)`` when the password may be checked, or ``(seconds to wait,
        None)`` when any key already has ``limit`` attempts within ``window`` seconds.
        """
        now = time.time()
        with self._tx() as db:
            db.execute("DELETE FROM login_attempts WHERE at <= ?", (now - window,))
            wait = 0.0
            for key in keys:
                times = [r[0] for r in db.execute(
                    "SELECT at FROM login_attempts WHERE key = ? ORDER BY at", (key,))]
                if len(times) >= limit:
                    # Free again once enough of the oldest have left the window.
                    wait = max(wait, times[len(times) - limit] + window - now)
            if wait > 0:
                return int(wait) + 1, None
            rows = tuple(int(db.execute(
                "INSERT INTO login_attempts (key, at) VALUES (?, ?)", (key, now)).lastrowid or 0)
                for key in keys)
        return 0, Attempt(rows, keys[0])

    def login_succeeded(self, attempt: Attempt) -> None:
        """A right password: the attempt is not a failure, and the user's failures go."""
        with self._tx() as db:
            db.executemany("DELETE FROM login_attempts WHERE id = ?",
                           [(r,) for r in attempt.rows])
            db.execute("DELETE FROM login_attempts WHERE key = ?", (attempt.user_key,))

    # -- sessions -------------------------------------------------------------------------------
    def create_session(self, username: str, seconds: float, ip: str = "") -> str:
        """A new session for ``username`` valid ``seconds``; returns its id (for the cookie)."""
        sid = secrets.token_urlsafe(32)
        now = time.time()
        with self._tx() as db:
            db.execute("DELETE FROM sessions WHERE expires <= ?", (now,))
            db.execute("INSERT INTO sessions (id, username, created, expires, ip) "
                       "VALUES (?, ?, ?, ?, ?)", (_sid_hash(sid), username, now, now + seconds,
                                                  ip[:64]))
        return sid

    def session_user(self, sid: str) -> str | None:
        """The user of a live session, None when ended, expired or unknown."""
        row = self._db().execute("SELECT username FROM sessions WHERE id = ? AND expires > ?",
                                 (_sid_hash(sid), time.time())).fetchone()
        return None if row is None else str(row[0])

    def end_session(self, sid: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (_sid_hash(sid),))

    def end_sessions(self, username: str) -> int:
        """End every session of ``username`` ("sign out everywhere"); how many there were."""
        with self._tx() as db:
            return int(db.execute("DELETE FROM sessions WHERE username = ?",
                                  (username,)).rowcount)

    def session_count(self, username: str) -> int:
        row = self._db().execute(
            "SELECT count(*) FROM sessions WHERE username = ? AND expires > ?",
            (username, time.time())).fetchone()
        return int(row[0])

    # -- API tokens ----------------------------------------------------------------------------
    def token_use_due(self, token_id: str) -> bool:
        """Whether this process should record a use of the token now (see the module)."""
        last = self._token_written.get(token_id)
        return last is None or time.monotonic() - last >= TOKEN_USE_EVERY

    def record_token_use(self, token_id: str) -> None:
        self._token_written[token_id] = time.monotonic()
        with self._tx() as db:
            db.execute("INSERT INTO token_use (token_id, last_used) VALUES (?, ?) "
                       "ON CONFLICT (token_id) DO UPDATE SET last_used = excluded.last_used",
                       (token_id, time.time()))

    def token_last_used(self, token_ids: Iterable[str]) -> dict[str, float]:
        ids = list(token_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {str(r[0]): float(r[1]) for r in self._db().execute(
            f"SELECT token_id, last_used FROM token_use WHERE token_id IN ({marks})",  # noqa: S608 - placeholders only
            ids)}

    def forget_tokens(self, token_ids: Iterable[str]) -> None:
        with self._tx() as db:
            db.executemany("DELETE FROM token_use WHERE token_id = ?",
                           [(t,) for t in token_ids])
