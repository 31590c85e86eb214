"""Kyodo benchmarks (`make bench`): each module measures a thing and its reference side by side.

Every public module in this package (a name not starting with ``_``) exposes
``main(*, quick: bool) -> dict``; ``python -m bench`` runs them all. The rules are in
``docs/PERFORMANCE.md`` (shared docs): ratios against a reference measured in the same run,
medians of several runs with min–max, a printed table, JSON in ``bench/results/``.
"""
