"""A Neo4j server that ``ops/neo4j/neo4jctl`` runs: stop, start, offline import.

Only such a server can be stopped and handed to ``neo4j-admin database import`` by
DutyGraph: Neo4j Community has one user database, which cannot be taken offline on its
own, so an import needs the whole server stopped. The instance is the one
``NEO4J_CTL_HOME`` and ``NEO4J_CTL_PORT`` name (as for ``neo4jctl`` itself); every command
runs with the caller's environment, so a restart uses the same ``NEO4J_CTL_*`` memory
settings ``neo4jctl start`` would.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from graph.errors import DutyGraphError, StoreError
from graph.messages import Message
from graph.store.base import GraphStore
from graph.store.neo4j import Neo4jStore

#: The control script of this checkout.
CTL = Path(__file__).resolve().parents[2] / "ops" / "neo4j" / "neo4jctl"
#: The only user database of Neo4j Community (the one ``neo4jctl import`` replaces).
DATABASE = "neo4j"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_DONE = re.compile(r"IMPORT DONE in ([^.\n]*)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


@dataclass
class ManagedNeo4j:
    """``neo4jctl`` for one instance (``home``, Bolt ``port``).

    ``seconds`` keeps the wall time of the last ``stop``, ``start`` and ``import`` (and
    ``import_tool``: the time the import tool itself reports), for load reports.
    """

    home: Path
    port: int
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    ctl: Path = CTL
    seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ManagedNeo4j | None:
        """The instance of ``NEO4J_CTL_HOME`` / ``NEO4J_CTL_PORT`` (default 7687), or None
        when ``NEO4J_CTL_HOME`` is not set."""
        env = dict(os.environ if environ is None else environ)
        home = env.get("NEO4J_CTL_HOME")
        if not home:
            return None
        try:
            port = int(env.get("NEO4J_CTL_PORT", "7687"))
        except ValueError:
            raise StoreError(Message("store.neo4jctl_port", value=env["NEO4J_CTL_PORT"])
                             ) from None
        return cls(Path(home), port, env)

    @property
    def import_dir(self) -> Path:
        """Where import files are staged (the instance's own ``import`` directory)."""
        return self.home / "import"

    def serves(self, uri: str, database: str) -> bool:
        """Whether ``uri`` and ``database`` are this instance's Bolt address and its one
        user database."""
        parts = urlsplit(uri)
        return (parts.scheme in ("bolt", "neo4j") and parts.hostname in _LOOPBACK
                and (parts.port or 7687) == self.port and database == DATABASE)

    def _call(self, args: tuple[str, ...], timeout: float) -> subprocess.CompletedProcess[str]:
        if not self.ctl.is_file():
            raise StoreError(Message("store.neo4jctl_missing", path=str(self.ctl)))
        env = {**self.env, "NEO4J_CTL_HOME": str(self.home), "NEO4J_CTL_PORT": str(self.port)}
        # The checkout's own script with fixed subcommands; no shell.
        return subprocess.run([str(self.ctl), *args], env=env,  # noqa: S603
                              capture_output=True, text=True, timeout=timeout, check=False)

    def _run(self, *args: str, timeout: float) -> str:
        try:
            res = self._call(args, timeout)
        except subprocess.TimeoutExpired as exc:
            raise StoreError(Message("store.neo4jctl_timeout", command=args[0],
                                     seconds=round(timeout))) from exc
        if res.returncode != 0:
            raise StoreError(Message("store.neo4jctl_failed", command=args[0],
                                     code=res.returncode, detail=res.stderr.strip()[-3000:]))
        return res.stdout

    def _timed(self, name: str, *args: str, timeout: float) -> str:
        t0 = time.perf_counter()
        try:
            return self._run(*args, timeout=timeout)
        finally:
            self.seconds[name] = round(time.perf_counter() - t0, 3)

    def running(self) -> bool:
        """Whether the server answers on Bolt."""
        return self._call(("status",), 120).returncode == 0

    def stop(self) -> None:
        self._timed("stop", "stop", timeout=600)

    def start(self) -> None:
        self._timed("start", "start", timeout=900)

    def import_files(self, folder: Path) -> str:
        """``neo4jctl import folder`` (server stopped): the database becomes exactly the
        files' graph, or stays as it was if the import fails. Returns the tool's summary."""
        out = self._timed("import", "import", str(folder), timeout=24 * 3600)
        m = _DONE.search(out)
        if m:  # "IMPORT DONE in 1m 3s 934ms."
            self.seconds["import_tool"] = round(sum(
                int(n) * _UNIT[u] for n, u in re.findall(r"(\d+)(ms|h|m|s)\b", m[1])), 3)
        return out


class NotManaged(DutyGraphError):
    """The store is not the database of a server ``neo4jctl`` runs (see :func:`managed`)."""


def managed(store: GraphStore, server: ManagedNeo4j | None) -> Neo4jStore:
    """``store`` as the Neo4j store of ``server``'s one database; :class:`NotManaged` when
    it is the embedded store, there is no managed server, or it talks to another one."""
    if not isinstance(store, Neo4jStore):
        raise NotManaged(Message("load.initial_neo4j_only"))
    if server is None:
        raise NotManaged(Message("load.initial_needs_neo4jctl"))
    if not server.serves(store.uri, store.database):
        raise NotManaged(Message(
            "load.initial_other_server", uri=store.uri, database=store.database,
            home=str(server.home), port=server.port, expected=DATABASE))
    return store
