"""Imported by the render processes' fork server (rendering/pool.py): the renderer, the signer
and the font parsed once there, so every render process forked from it starts ready.

Then the collector is settled as in every service process (kyodo_common.runtime): with
CPython's defaults (a young collection every 700 allocations) a render process, which
allocates reportlab's and pyHanko's objects by the thousand per PDF, collected many times per
PDF, and its full collections walked every object the fork server had loaded (reportlab,
pyHanko, asn1crypto, the font). Frozen here, before any fork, the loaded objects are out of
the collector's sight in every child, and their pages stay shared with the fork server (a
child's full collection no longer writes to them).
"""

from kyodo_certificates.rendering import pool
from kyodo_certificates.rendering.fonts import register_font
from kyodo_common.runtime import settle_garbage_collector

register_font()
settle_garbage_collector()

__all__ = ["pool"]
