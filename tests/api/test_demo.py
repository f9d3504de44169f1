"""``dutygraph demo`` as a user runs it: a fresh data directory, the sample loaded into the
embedded store, the app served on the port given, /health answering with the embedded
backend and the documentation page up; a second start reuses the data."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Demo:
    """A running ``dutygraph demo`` and everything it printed so far."""

    def __init__(self, tmp_path: Path, port: int) -> None:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("NEO4J_", "DUTYGRAPH_"))}
        env["XDG_DATA_HOME"] = str(tmp_path / "xdg")  # the demo's default home is under it
        env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from api.cli import main; main()", "demo", "--port",
             str(port)],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)


def run_demo(tmp_path: Path, port: int) -> tuple[Demo, dict[str, object]]:
    demo = Demo(tmp_path, port)
    proc = demo.proc
    deadline = time.monotonic() + 120
    health: dict[str, object] = {}
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
            if r.status_code == 200:
                health = r.json()
                break
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    return demo, health


def stop(demo: Demo) -> str:
    proc = demo.proc
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    time.sleep(0.2)  # let the reader thread take the last lines
    return demo.output


def log_in(base: str, output: str) -> httpx.Client:
    """A browser-like client logged in with the demo admin's password as printed."""
    found = re.search(r"用户 (\S+)\s+密码 (\S+)", output)  # the CLI speaks Chinese by default
    assert found, output
    client = httpx.Client(base_url=base, timeout=10)
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text[:500]
    r = client.post("/login", data={"username": found[1], "password": found[2],
                                    "csrf_token": csrf[1], "next": "/docs"})
    assert r.status_code == 303, r.text[:300]
    return client


def test_demo_serves_the_sample(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    demo, health = run_demo(tmp_path, port)
    try:
        assert health, f"no /health answer: {demo.output}"
        assert health["status"] == "ok" and health["backend"] == "embedded"
        counts = health["counts"]
        assert isinstance(counts, dict) and counts["nodes"]["Unit"] > 500
        browser = log_in(base, demo.output)
        try:
            docs = browser.get("/docs")
            assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text
            assert browser.get("/openapi.json").json()["info"]["title"] == "DutyGraph API"
        finally:
            browser.close()
    finally:
        out = stop(demo)
    assert f"http://127.0.0.1:{port}/" in out
    assert "正在把示例数据导入" in out
    home = tmp_path / "xdg" / "dutygraph" / "demo"
    assert (home / "graph.json").exists()
    # Again: the data is there already and is not loaded twice.
    demo, health = run_demo(tmp_path, port)
    try:
        assert health and health["counts"] == counts
    finally:
        out = stop(demo)
    assert "正在把示例数据导入" not in out
