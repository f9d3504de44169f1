"""The audit log is a hash chain: any edit or deletion is detected."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from api.security.audit import AuditLog


def _log(tmp_path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path)
    for i in range(n):
        log.append(f"user{i % 2}", "read", f"/api/people/P{i}", [f"person:P{i}"])
    return log


def test_intact_log_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    result = log.verify()
    assert result.ok and result.entries == 5 and result.problems == []


def test_empty_log_verifies(tmp_path: Path) -> None:
    assert AuditLog(tmp_path).verify().ok


def test_edited_entry_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines()
    entry = orjson.loads(lines[2])
    entry["user"] = "someone-else"
    lines[2] = orjson.dumps(entry)
    log.path.write_bytes(b"\n".join(lines) + b"\n")
    result = log.verify()
    assert not result.ok
    assert any("line 3: hash mismatch" in p for p in result.problems)


def test_deleted_middle_line_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines()
    del lines[1]
    log.path.write_bytes(b"\n".join(lines) + b"\n")
    result = log.verify()
    assert not result.ok
    assert any("line 2" in p and "sequence 3" in p for p in result.problems)


def test_deleted_last_line_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines()
    log.path.write_bytes(b"\n".join(lines[:-1]) + b"\n")
    result = log.verify()
    assert not result.ok
    assert any("head says entry 5" in p for p in result.problems)


def test_recomputed_hash_still_breaks_the_chain(tmp_path: Path) -> None:
    # A forger who edits an entry and recomputes its hash breaks the next entry's link.
    from api.security.audit import _digest

    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines()
    entry = orjson.loads(lines[1])
    entry["ids"] = []
    entry["hash"] = _digest(entry)
    lines[1] = orjson.dumps(entry)
    log.path.write_bytes(b"\n".join(lines) + b"\n")
    result = log.verify()
    assert not result.ok
    assert any("line 3: chain broken" in p for p in result.problems)


def test_who_viewed_newest_first(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    log.append("alice", "read", "/people/P1", ["person:P1"])
    log.append("bob", "read", "/people/P2", ["person:P2"])
    log.append("carol", "search", "/search?q=x", ["person:P1", "unit:JD"])
    assert [e.user for e in log.who_viewed("person:P1")] == ["carol", "alice"]


def test_concurrent_appends_are_group_committed_into_one_chain(tmp_path: Path) -> None:
    # 200 readers at once: every entry is written exactly once, the chain verifies, and
    # the writer needed fewer fsyncs than entries (they were grouped).
    from concurrent.futures import ThreadPoolExecutor

    log = AuditLog(tmp_path)
    with ThreadPoolExecutor(max_workers=32) as pool:
        entries = list(pool.map(
            lambda i: log.append(f"user{i}", "read", "/api/people/{person}", [f"person:P{i}"]),
            range(200)))
    assert sorted(e.seq for e in entries) == list(range(1, 201))
    result = log.verify()
    assert result.ok and result.entries == 200
    assert {e.user for e in log.entries()} == {f"user{i}" for i in range(200)}
    assert log.written == 200 and log.commits < 200


def test_a_failed_write_fails_its_waiters(tmp_path: Path) -> None:
    # The log path is a directory: the append cannot happen, and the caller is told.

    log = AuditLog(tmp_path)
    log.path.mkdir()
    with pytest.raises(OSError):
        log.append("alice", "read", "/people/P1", ["person:P1"])
    assert log.submit("bob", "read", "/people/P2", ["person:P2"]).exception() is not None



_APPEND_MANY = """
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from api.security.audit import AuditLog
log = AuditLog(Path(sys.argv[1]))
with ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(lambda i: log.append(sys.argv[2], "read", "/api/people/{person}",
                                       [f"person:P{i}"]), range(100)))
"""


def test_two_processes_share_one_chain(tmp_path: Path) -> None:
    # Two uvicorn workers (or a worker and the CLI) each group-commit under the file lock.
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[3]
    procs = [subprocess.Popen([sys.executable, "-c", _APPEND_MANY, str(tmp_path), f"w{i}"],
                              cwd=repo) for i in range(2)]
    assert [p.wait(60) for p in procs] == [0, 0]
    result = AuditLog(tmp_path).verify()
    assert result.ok and result.entries == 200, result.problems
    assert {e.user for e in AuditLog(tmp_path).entries()} == {"w0", "w1"}
