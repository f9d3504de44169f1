"""The heap a long-running process builds at start-up, set aside from the garbage collector.

A server keeps alive from start-up to exit the modules, the schema, the message catalogues,
the driver and the store's indexes: tens of thousands of tracked objects. Every full
collection walks all of them, and the request that happens to trigger one pays for it. A
1,000-node neighbourhood allocates enough containers to trigger full collections often, so
they showed as its p95 (``python -m bench ab ... queries``: the median unchanged, the p95
three times the median). :func:`settle` collects once and then freezes what is left
(:func:`gc.freeze`): later collections skip it, and nothing is switched off — garbage
made by requests is collected as before.

>>> settle()
>>> import gc
>>> gc.get_freeze_count() > 0
True
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect the start-up garbage, then move every object still alive to the collector's
    permanent generation. Call once, when start-up is over (the API's lifespan, after the
    store's warm-up; a benchmark, after its own)."""
    gc.collect()
    gc.freeze()
