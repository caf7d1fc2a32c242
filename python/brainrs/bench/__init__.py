"""Benchmarks of brainrs, run as ``python -m brainrs.bench``.

``coba``: the seed network (BrainPy's COBA E/I network of the state-resetting tutorial) at a
scale, timed the way ``shared/bench/brainpy_coba.py`` times BrainPy, printing one JSON line with
the same fields. ``compare``: brainrs and BrainPy (in a venv of its own) side by side, one
scale after the other in the same run, as a Markdown table of ratios (docs/benchmarks.md).
Speed is measured here, never in timed tests.
"""
