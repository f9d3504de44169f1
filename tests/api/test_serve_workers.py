"""``dutygraph serve --workers 2``: two server processes answer on one port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.api.test_demo import Demo, free_port, stop


class Serve(Demo):
    """A running ``dutygraph serve`` (reusing the demo runner's output capture)."""

    def __init__(self, tmp_path: Path, port: int, *args: str) -> None:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("NEO4J_", "DUTYGRAPH_"))}
        env.update(DUTYGRAPH_HOME=str(tmp_path / "home"), DUTYGRAPH_AUTH="off",
                   PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port",
             str(port), *args],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()


def test_serve_with_two_workers(tmp_path: Path) -> None:
    port = free_port()
    server = Serve(tmp_path, port, "--workers", "2")
    try:
        deadline = time.monotonic() + 90
        answered = 0
        while time.monotonic() < deadline and server.proc.poll() is None and answered < 2:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                answered += r.status_code == 200 and r.json()["backend"] == "embedded"
            except httpx.TransportError:
                pass
            started = set(re.findall(r"Started server process \[(\d+)\]", server.output))
            if len(started) < 2:
                answered = 0  # count answers only once both workers are up
            time.sleep(0.3)
        assert answered >= 2, server.output
    finally:
        out = stop(server)
    assert len(set(re.findall(r"Started server process \[(\d+)\]", out))) == 2, out
