"""Benchmark of `python -m pipeline consolidate` against a naive script and the raw-read floor."""
