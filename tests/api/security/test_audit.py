"""The audit log is a keyed hash chain: any edit or deletion is detected, a chain recomputed
without the key is refused, and a copy of the head kept elsewhere catches a log cut short
together with its head file."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from api.security.audit import AuditLog, read_head


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
    entry["hash"] = _digest(entry, log.key())
    lines[1] = orjson.dumps(entry)
    log.path.write_bytes(b"\n".join(lines) + b"\n")
    result = log.verify()
    assert not result.ok
    assert any("line 3: chain broken" in p for p in result.problems)


def _forge_unkeyed(log: AuditLog, keep: list[bytes]) -> None:
    """What an insider without the key does: keep some lines, renumber them and recompute
    a plain SHA-256 chain and the head file, as the chain was built before it was keyed."""
    import hashlib

    prev, out = "0" * 64, []
    for seq, line in enumerate(keep, start=1):
        entry = orjson.loads(line)
        entry.update(seq=seq, prev=prev)
        body = {k: v for k, v in entry.items() if k != "hash"}
        entry["hash"] = prev = hashlib.sha256(
            prev.encode() + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
        out.append(orjson.dumps(entry))
    log.path.write_bytes(b"\n".join(out) + b"\n")
    log.head_path.write_text(f"{len(out)} {prev}\n")


def test_a_chain_recomputed_without_the_key_fails(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines()
    _forge_unkeyed(log, [lines[0], *lines[2:]])  # entry 2 deleted, the rest made consistent
    result = AuditLog(tmp_path).verify()
    assert not result.ok
    assert [p for p in result.problems if "hash mismatch" in p] == [
        f"line {n}: hash mismatch (entry edited, or the chain recomputed without the audit "
        "key)" for n in range(1, 5)]
    # The same forgery over the untouched log would be caught as well: the key decides.
    _forge_unkeyed(log, lines)
    assert not AuditLog(tmp_path).verify().ok


def test_the_key_lives_outside_the_log(tmp_path: Path) -> None:
    key = tmp_path / "elsewhere" / "audit.key"
    key.parent.mkdir()
    log = AuditLog(tmp_path / "home", key)
    log.append("alice", "read", "/people/P1", ["person:P1"])
    assert key.exists() and not (tmp_path / "home" / "audit.key").exists()
    assert key.read_text().strip() not in log.path.read_text()
    assert AuditLog(tmp_path / "home", key).verify().ok
    # Verified with another key (or none), the same log fails.
    assert not AuditLog(tmp_path / "home").verify().ok
    key.unlink()
    result = AuditLog(tmp_path / "home", key).verify()
    assert not result.ok and "audit key" in result.problems[0]


def test_a_saved_head_catches_a_log_cut_short_with_its_head(tmp_path: Path) -> None:
    log = _log(tmp_path)
    saved = read_head(log.head_path)  # the copy kept elsewhere after entry 5
    for i in range(2):
        log.append("later", "read", f"/api/people/Q{i}", [f"person:Q{i}"])
    assert log.verify(saved).ok  # the log grew past the saved head: fine
    # The last four entries deleted and the head file rewritten to match what is left:
    # the chain and the head agree, so only the saved copy can tell.
    lines = log.path.read_bytes().splitlines()
    log.path.write_bytes(b"\n".join(lines[:3]) + b"\n")
    last = orjson.loads(lines[2])
    log.head_path.write_text(f"{last['seq']} {last['hash']}\n")
    assert log.verify().ok
    result = log.verify(saved)
    assert not result.ok
    assert result.problems == ["the saved head names entry 5, the log ends at 3 (entries "
                               "deleted at the end)"]
    # A head that names an entry the log holds differently: rewritten up to there.
    assert log.verify((3, "f" * 64)).problems == [
        "entry 3 differs from the saved head (the log was rewritten up to there)"]


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
from api.security.audit import AuditLog, read_head
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


def test_cli_head_and_verify_against_a_saved_head(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api.cli import app
    from graph.settings import get_settings

    home = tmp_path / "home"
    monkeypatch.setenv("DUTYGRAPH_HOME", str(home))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        log = _log(home)
        r = runner.invoke(app, ["audit", "head"])
        assert r.exit_code == 0 and r.output.startswith("5 ")
        saved = tmp_path / "elsewhere.head"
        saved.write_text(r.output)
        log.append("later", "read", "/api/people/Q", ["person:Q"])
        r = runner.invoke(app, ["audit", "verify", "--head", str(saved)])
        assert (r.exit_code, r.output) == (0, "完好：6 条记录\n")  # the CLI speaks Chinese
        # Cut short with its head file: only the saved head tells.
        lines = log.path.read_bytes().splitlines()
        log.path.write_bytes(b"\n".join(lines[:4]) + b"\n")
        last = orjson.loads(lines[3])
        log.head_path.write_text(f"{last['seq']} {last['hash']}\n")
        assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
        r = runner.invoke(app, ["audit", "verify", "--head", str(saved)])
        assert r.exit_code == 1
        assert "the saved head names entry 5, the log ends at 4" in r.output
        saved.write_text("not a head\n")
        r = runner.invoke(app, ["audit", "verify", "--head", str(saved)])
        assert r.exit_code == 2 and "无法读取保存的审计头" in r.output
    finally:
        get_settings.cache_clear()
