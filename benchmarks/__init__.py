"""Benchmarks of the engine against the alternatives, run with ``python -m benchmarks [NAME ...]``.

Each module of this package is one benchmark and exposes ``run()`` (all
arguments optional), which prints its figures and returns them.
"""
