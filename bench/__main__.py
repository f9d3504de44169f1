"""``python -m bench NAME [options]``: run ``bench/NAME.py`` and save its result.

``python -m bench`` alone lists the benchmarks. Options after NAME belong to the benchmark
(``python -m bench NAME --help``); ``--no-save`` prints the result without writing
``bench/results/NAME.json``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
from pathlib import Path

import orjson

from bench.common import write_result

#: Helper modules of the benchmarks, not benchmarks themselves.
_NOT_BENCHMARKS = {"common", "ceiling", "load_neo4j", "__main__"}


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)])
                  if not m.ispkg and m.name not in _NOT_BENCHMARKS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", add_help=False)
    parser.add_argument("name", nargs="?")
    parser.add_argument("--no-save", action="store_true")
    ns, rest = parser.parse_known_args(argv)
    names = available()
    if ns.name in (None, "-h", "--help") or ns.name not in names:
        if ns.name and ns.name not in ("-h", "--help"):
            print(f"unknown benchmark {ns.name!r}", file=sys.stderr)
        print("usage: python -m bench NAME [options]   (NAME --help for its options)")
        print("benchmarks: " + ", ".join(names))
        return 0 if ns.name in (None, "-h", "--help") else 2
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", ns.name):
        return 2
    module = importlib.import_module(f"bench.{ns.name}")
    sub = argparse.ArgumentParser(prog=f"python -m bench {ns.name}",
                                  description=(module.__doc__ or "").strip().splitlines()[0]
                                  if module.__doc__ else None)
    if hasattr(module, "add_arguments"):
        module.add_arguments(sub)
    args = sub.parse_args(rest)
    result = module.run(args)
    if ns.no_save:
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    else:
        path = write_result(ns.name, result)
        print(f"result written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
