"""Imported by the render processes' fork server (rendering/pool.py): the renderer, the signer
and the font parsed once there, so every render process forked from it starts ready."""

from kyodo_certificates.rendering import pool
from kyodo_certificates.rendering.fonts import register_font

register_font()

__all__ = ["pool"]
