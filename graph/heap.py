"""The heap a long-running process builds at start-up, set aside from the garbage collector.

A server keeps alive from start-up to exit the modules, the schema, the message catalogues,
the driver and the store's indexes: tens of thousands of tracked objects. Every full
collection walks all of them, and the request that happens to trigger one pays for it. A
1,000-node neighbourhood allocates enough containers to trigger full collections often, so
they showed as its p95 (``python -m bench ab ... queries``: the median unchanged, the p95
three times the median). :func:`settle` collects once and then freezes what is left
(:func:`gc.freeze`): later collections skip it, and nothing is switched off — garbage
made by requests is collected as before.

Once per process: a second call (another app in the same process, as tests make) does
nothing, so no later object is frozen -- a frozen object that becomes cyclic garbage is
never collected.

>>> settle()
>>> import gc
>>> frozen = gc.get_freeze_count()
>>> frozen > 0 and gc.isenabled()
True
>>> settle(); gc.get_freeze_count() == frozen
True
"""

from __future__ import annotations

import gc
import threading

_once = threading.Lock()
_settled: list[bool] = []


def settle() -> None:
    """Collect the start-up garbage, then move every object still alive to the collector's
    permanent generation; the first call of the process only. Call when start-up is over
    (the API's lifespan, after the store's warm-up; a benchmark, after its own)."""
    with _once:
        if _settled:
            return
        gc.collect()
        gc.freeze()
        _settled.append(True)
