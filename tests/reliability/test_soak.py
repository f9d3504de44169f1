"""The short soak: the app under uvicorn on 127.0.0.1, 10 concurrent authenticated clients
for 5 seconds of mixed reads on the sample data, zero errors (bench/soak.py runs the long
one: 2 minutes, 50 clients, Neo4j, district dataset)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.reliability.neo4j_instance import REPO


def test_short_soak_has_zero_errors() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    res = subprocess.run(
        [sys.executable, "-m", "bench", "--no-save", "soak", "--backend", "embedded",
         "--scale", "sample", "--clients", "10", "--duration", "5"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr[-3000:]
    result = json.loads(res.stdout[res.stdout.index("\n{") + 1:])
    assert result["errors"] == {}, result["errors"]
    assert result["zero_errors"] and result["authenticated"]
    assert result["requests"] >= 50, result  # it really served traffic
    assert len(result["endpoints"]) >= 6  # and the mix really was mixed
