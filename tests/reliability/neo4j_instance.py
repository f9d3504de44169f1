"""A Neo4j server of the test's own, started and stopped through ops/neo4j/neo4jctl.

The fault tests stop and restart Neo4j; they must never touch the shared test server, so
each gets its own instance home and Bolt port (``DUTYGRAPH_FAULT_NEO4J_PORT``, default
17720; the next port for a second instance).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from graph.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CTL = REPO / "ops" / "neo4j" / "neo4jctl"
DEFAULT_PORT = 17720


class OwnNeo4j:
    """``neo4jctl`` for one instance home and port."""

    def __init__(self, home: Path, port: int) -> None:
        self.home, self.port = home, port
        self.ctl_env = {**os.environ, "NEO4J_CTL_HOME": str(home), "NEO4J_CTL_PORT": str(port),
                        "NEO4J_CTL_HEAP": "512m", "NEO4J_CTL_PAGECACHE": "128m"}

    def _ctl(self, *args: str) -> str:
        res = subprocess.run([str(CTL), *args], env=self.ctl_env, capture_output=True,
                             text=True, timeout=300)
        if res.returncode not in (0, 3):
            raise RuntimeError(f"neo4jctl {' '.join(args)} failed: {res.stderr[-2000:]}")
        return res.stdout

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop")

    def env(self) -> dict[str, str]:
        """NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE for the CLI."""
        out: dict[str, str] = {}
        for line in self._ctl("env").splitlines():
            if line.startswith("export ") and "=" in line:
                key, _, value = line[len("export "):].partition("=")
                out[key] = value.strip("'\"")
        return out

    def settings(self, home: Path) -> Settings:
        e = self.env()
        return Settings(NEO4J_URI=e["NEO4J_URI"], NEO4J_USERNAME=e.get("NEO4J_USERNAME", "neo4j"),
                        NEO4J_PASSWORD=e.get("NEO4J_PASSWORD", ""),  # type: ignore[arg-type]
                        NEO4J_DATABASE=e.get("NEO4J_DATABASE", "neo4j"), DUTYGRAPH_HOME=home)


def fault_port(offset: int = 0) -> int:
    return int(os.environ.get("DUTYGRAPH_FAULT_NEO4J_PORT", str(DEFAULT_PORT))) + offset
