"""Benchmarks: ``python -m bench NAME [options]`` runs ``bench/NAME.py`` and writes
``bench/results/NAME.json`` with the machine it ran on (see :mod:`bench.common`)."""
