"""Benchmarks (not tests): run with ``make bench`` or ``uv run python -m benchmarks``."""
