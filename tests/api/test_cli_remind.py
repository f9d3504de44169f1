"""``dutygraph remind`` over the sample: a digest per recipient of their red and yellow items
(the holder of the overdue 廉情抄告 gets it with the issue and project behind it), nothing
e-mailed without a server, and with one (a small SMTP server in the test, plain SMTP on
localhost) one mail per recipient with an address."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message as Mail
from pathlib import Path

import pytest

from graph.store.embedded import EmbeddedStore
from loaders.pipeline import load_sample
from tests.api.cli_support import cli_home
from tests.api.cli_support import run as run_query

AS_OF = "2026-01-01"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    from typer.testing import CliRunner

    from api.cli import app

    result = CliRunner().invoke(app, ["remind", *args],
                                env={"COLUMNS": "200", "DUTYGRAPH_LANG": "", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmbeddedStore]:
    yield from cli_home(tmp_path, monkeypatch, lambda s: load_sample(s, progress=False))


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT; mails kept on the
    server."""

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.mails.append(message_from_bytes(data))  # type: ignore[attr-defined]
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp() -> Iterator[tuple[int, list[Mail]]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.mails = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.mails  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_digests_per_recipient_and_no_mail_without_a_server(home: EmbeddedStore,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "digests"
    code, text = run("--as-of", AS_OF, "--unit", "MH", "--out", str(out))
    assert code == 0, text
    assert "未配置邮件服务器" in text
    digest = (out / "person_P-MH-08.txt").read_text(encoding="utf-8")
    assert digest.startswith("谭某静：截至 2026-01-01")
    for uid in ("referral:RF-MH-05", "issue:I-MH-R05", "project:PJ-MH-R05"):
        assert uid in digest
    assert "[红]" in digest and "已逾期" in digest
    # Only red and yellow items: a recipient whose items are all green gets no digest.
    code, listed = run_query("warnings", "--unit", "MH", "--as-of", AS_OF, "--status",
                             "green", "--json")
    assert code == 0 and "P-MH-02" in listed
    assert not (out / "person_P-MH-02.txt").exists()


def test_mail_when_configured(home: EmbeddedStore, tmp_path: Path,
                              smtp: tuple[int, list[Mail]]) -> None:
    port, mails = smtp
    book = tmp_path / "addresses.csv"
    book.write_text("uid,email\nperson:P-MH-08,tan@example.org\n", encoding="utf-8")
    env = {"DUTYGRAPH_SMTP_HOST": "127.0.0.1", "DUTYGRAPH_SMTP_PORT": str(port),
           "DUTYGRAPH_SMTP_SECURITY": "none", "DUTYGRAPH_SMTP_FROM": "dutygraph@example.org"}
    code, text = run("--as-of", AS_OF, "--unit", "MH", "--out", str(tmp_path / "d"),
                     "--addresses", str(book), env=env)
    assert code == 0, text
    assert len(mails) == 1 and mails[0]["To"] == "tan@example.org"
    body = mails[0].get_payload(decode=True)
    assert isinstance(body, bytes) and "referral:RF-MH-05" in body.decode("utf-8")
