"""A lean HTTP/1.1 load generator: asyncio streams, one keep-alive connection per client.

The API benchmark shares the machine's cores with the server it measures, so the client
must cost as little CPU as possible: no HTTP library, no decompression (``gzip`` is asked
for, as browsers do, and the bytes are counted, not inflated), one connection per simulated
client that lives for the whole phase. Each phase reports the client's own CPU seconds, so
the numbers say how much of the machine the measuring took.

Two shapes of load (see docs/api.md):

* closed loop, ``think=0``: every client sends its next request as soon as the last one
  answered -- saturation; latency then equals clients / throughput;
* paced, ``think>0``: every client waits an exponential think time (mean ``think``) after
  each answer, starting at a random point of its first think time so the clients do not
  arrive as one burst. The *offered* rate is about ``clients / (think + latency)``.
"""

from __future__ import annotations

import asyncio
import random
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bench.common import percentile

Chooser = Callable[[], tuple[str, str]]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Connection:
    """One keep-alive HTTP/1.1 connection to ``host:port``."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self._head = f"Host: {host}:{port}\r\nAccept-Encoding: gzip\r\n{extra}\r\n".encode()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, int]:
        """(status, body bytes) of ``GET target``; reconnects once if the server closed the
        connection."""
        for attempt in (0, 1):
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            assert self._reader is not None and self._writer is not None
            try:
                self._writer.write(b"GET " + target.encode() + b" HTTP/1.1\r\n" + self._head)
                return await self._response(self._reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _response(self, reader: asyncio.StreamReader) -> tuple[int, int]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            length = 0
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                length += size
                if size == 0:
                    break
        else:
            await reader.readexactly(length)
        if close:
            self.close()
        return status, length

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def drive(host: str, port: int, headers: dict[str, str], choose: Chooser, *,
                clients: int, duration: float, max_requests: int, think: float,
                seed: int) -> dict[str, Any]:
    """Run ``clients`` simulated users until ``duration`` s or ``max_requests`` are spent."""
    rng = random.Random(seed)  # think times, reproducible (not secrets)
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    sent = 0
    received = 0
    t_start = time.perf_counter()
    stop_at = t_start + duration

    async def one_client() -> None:
        nonlocal sent, received
        conn = Connection(host, port, headers)
        try:
            if think > 0:  # spread the first requests over one think time
                await asyncio.sleep(rng.uniform(0, think))
            while sent < max_requests and time.perf_counter() < stop_at:
                sent += 1
                name, url = choose()
                t0 = time.perf_counter()
                try:
                    status, size = await conn.get(url)
                    ok = status == 200
                    received += size
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    ok = False
                ms = (time.perf_counter() - t0) * 1000
                if ok:
                    lat[name].append(ms)
                else:
                    errors[name] += 1
                if think > 0:  # (not past the end of the phase: that would dilute the rate)
                    await asyncio.sleep(min(rng.expovariate(1 / think),
                                            max(0.0, stop_at - time.perf_counter())))
        finally:
            conn.close()

    cpu0 = _cpu_seconds()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    elapsed = time.perf_counter() - t_start
    cpu = _cpu_seconds() - cpu0
    every = [x for xs in lat.values() for x in xs]
    n = len(every) + sum(errors.values())
    out: dict[str, Any] = {
        "clients": clients, "think_s": think, "seconds": round(elapsed, 2),
        "requests": n, "errors": dict(errors),
        # Requests sent per second: what the clients offered (paced) or achieved (closed).
        "offered_rps": round(n / elapsed, 1) if elapsed else None,
        "throughput_rps": round(len(every) / elapsed, 1) if elapsed else None,
        "body_mb": round(received / 1e6, 1),
        "loadgen_cpu_s": round(cpu, 2),
        "loadgen_cpu_pct_of_core": round(100 * cpu / elapsed, 1) if elapsed else None,
        "loadgen_cpu_ms_per_request": round(1000 * cpu / n, 3) if n else None,
    }
    if every:
        out.update(p50_ms=round(percentile(every, 50), 2), p95_ms=round(percentile(every, 95), 2),
                   p99_ms=round(percentile(every, 99), 2), max_ms=round(max(every), 2))
    if len(lat) > 1:
        out["endpoints"] = {
            k: {"requests": len(v), "p50_ms": round(percentile(v, 50), 2),
                "p95_ms": round(percentile(v, 95), 2)}
            for k, v in sorted(lat.items())
        }
    return out
