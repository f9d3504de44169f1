"""The login limit holds under parallel guessing: attempts are counted before the password
check, atomically, across threads and server processes, so a burst of guesses gets no more
than the limit and the right password is refused once it is reached. Failed and refused
logins are audited."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.security.audit import AuditLog
from api.security.users import Role, UserStore
from graph.store.embedded import EmbeddedStore
from tests.api.security.conftest import PASSWORD, SecApp, make_sec_app
from tests.api.test_demo import Demo, free_port, stop

BURST = 24
LIMIT = 5  # the default DUTYGRAPH_LOGIN_LIMIT


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def burst(get_page: Callable[[], tuple[object, str]],
          post: Callable[[object, str, str], int], password: str, n: int = BURST) -> Counter[int]:
    """``n`` attackers each fetch the login page (own cookie and CSRF token), wait for each
    other, then all post ``password`` at the same moment; the status codes."""
    gate = threading.Barrier(n)

    def attacker(_: int) -> int:
        client, token = get_page()
        gate.wait(timeout=60)
        return post(client, token, password)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return Counter(pool.map(attacker, range(n)))


@pytest.fixture
def app_(tmp_path: Path) -> SecApp:
    return make_sec_app(EmbeddedStore(None), tmp_path / "home")


def test_a_parallel_burst_gets_no_more_guesses_than_the_limit(app_: SecApp) -> None:
    def get_page() -> tuple[object, str]:
        client = app_.client()
        return client, _csrf(client.get("/login").text)

    def post(client: object, token: str, password: str) -> int:
        assert isinstance(client, TestClient)
        return client.post("/login", data={"username": "admin", "password": password,
                                           "csrf_token": token}).status_code

    codes = burst(get_page, post, "wrong password!")
    assert codes == Counter({401: LIMIT, 429: BURST - LIMIT})
    # The limit is reached: the right password is refused too, in a burst or alone.
    assert burst(get_page, post, PASSWORD, 4) == Counter({429: 4})
    client, token = get_page()
    assert post(client, token, PASSWORD) == 429
    # Every attempt left a trace, with the name tried and the address.
    entries = list(app_.app.state.security.audit.entries())
    actions = Counter(e.action for e in entries)
    assert actions == Counter({"login-failed": LIMIT, "login-refused": BURST - LIMIT + 5})
    assert {(e.user, e.detail["ip"]) for e in entries} == {("admin", "testclient")}
    assert app_.app.state.security.audit.verify().ok


def test_a_right_password_in_the_burst_is_one_of_the_limited_guesses(app_: SecApp) -> None:
    # Half of the burst carries the right password: however the race goes, no more than
    # LIMIT attempts reach the password check (a success is one of them).
    tokens = []
    for _ in range(BURST):
        client = app_.client()
        tokens.append((client, _csrf(client.get("/login").text)))
    gate = threading.Barrier(BURST)

    def attacker(i: int) -> int:
        client, token = tokens[i]
        gate.wait(timeout=60)
        password = PASSWORD if i % 2 else "wrong password!"
        return client.post("/login", data={"username": "jd-inspector", "password": password,
                                           "csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        codes = Counter(pool.map(attacker, range(BURST)))
    assert codes[401] + codes[303] <= LIMIT
    assert codes[429] >= BURST - LIMIT


def test_two_server_processes_share_the_limit(tmp_path: Path) -> None:
    """``dutygraph serve --workers 2``: the burst goes to a server of two processes (the
    kernel hands each connection to either), and still only LIMIT guesses are checked."""
    home = tmp_path / "home"
    UserStore(home).add("admin", Role.admin, PASSWORD, ["*"])
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "DUTYGRAPH_"))}
    env.update(DUTYGRAPH_HOME=str(home), PYTHONUNBUFFERED="1")
    server = Demo.__new__(Demo)
    server.proc = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port",
         str(port), "--workers", "2"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    server.lines = []
    threading.Thread(target=server._read, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and server.proc.poll() is None:
            up = len(set(re.findall(r"Started server process \[(\d+)\]", server.output)))
            try:
                if up == 2 and httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(f"the server did not start:\n{server.output}")

        def get_page() -> tuple[object, str]:
            client = httpx.Client(base_url=base, timeout=60)
            return client, _csrf(client.get("/login").text)

        def post(client: object, token: str, password: str) -> int:
            assert isinstance(client, httpx.Client)
            try:
                return client.post("/login", data={
                    "username": "admin", "password": password, "csrf_token": token}).status_code
            finally:
                client.close()

        codes = burst(get_page, post, "wrong password!")
        assert codes == Counter({401: LIMIT, 429: BURST - LIMIT})
        client, token = get_page()
        assert post(client, token, PASSWORD) == 429
    finally:
        out = stop(server)
    pids = set(re.findall(r"Started server process \[(\d+)\]", out))
    assert len(pids) == 2, out
    log = AuditLog(home)
    assert Counter(e.action for e in log.entries()) == Counter(
        {"login-failed": LIMIT, "login-refused": BURST - LIMIT + 1})
    assert log.verify().ok
