"""The API documentation pages (Swagger UI, ReDoc) with their code served from a Python
package, not a CDN: a municipality's closed network (LGWAN) reaches no CDN, and the pages
must still render there.

The assets come from the `fastapi-offline` wheel (Swagger UI 5 and ReDoc 2, MIT/Apache
licences), located without importing it. Each asset is read once per process and served
with a long cache lifetime: its URL holds the package's version.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from functools import cache
from pathlib import Path

from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)

_PACKAGE = "fastapi_offline"
DOCS = "/docs"
REDOC = "/redoc"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"
ASSETS = "/docs/assets/"
_TYPES = {".js": b"text/javascript; charset=utf-8", ".css": b"text/css; charset=utf-8",
          ".png": b"image/png"}
ASSET_CACHE_CONTROL = b"public, max-age=31536000, immutable"


def _static_dir() -> Path:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the documentation assets package {_PACKAGE} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@cache
def _version() -> str:
    return importlib.metadata.version("fastapi-offline")


def asset_url(name: str) -> str:
    return f"{ASSETS}{_version()}/{name}"


@cache
def _assets() -> dict[str, tuple[bytes, bytes]]:
    """URL path → (content type, bytes) of every asset the pages load."""
    found: dict[str, tuple[bytes, bytes]] = {}
    for path in _static_dir().iterdir():
        content_type = _TYPES.get(path.suffix)
        if content_type is not None:
            found[asset_url(path.name)] = (content_type, path.read_bytes())
    return found


def asset_paths() -> list[str]:
    """The URL paths of the assets (without reading them)."""
    return [asset_url(path.name) for path in _static_dir().iterdir() if path.suffix in _TYPES]


def asset(url_path: str) -> tuple[bytes, bytes] | None:
    """(content type, body) of the asset at this path, or None."""
    return _assets().get(url_path)


def swagger_ui(title: str, openapi_url: str = "/openapi.json") -> bytes:
    return bytes(get_swagger_ui_html(
        openapi_url=openapi_url, title=title,
        swagger_js_url=asset_url("swagger-ui-bundle.js"),
        swagger_css_url=asset_url("swagger-ui.css"),
        swagger_favicon_url=asset_url("favicon.png"),
        oauth2_redirect_url=OAUTH2_REDIRECT,
        init_oauth={"usePkceWithAuthorizationCodeGrant": False},
    ).body)


def redoc(title: str, openapi_url: str = "/openapi.json") -> bytes:
    return bytes(get_redoc_html(openapi_url=openapi_url, title=title,
                                redoc_js_url=asset_url("redoc.standalone.js"),
                                redoc_favicon_url=asset_url("favicon.png"),
                                with_google_fonts=False).body)


def oauth2_redirect() -> bytes:
    return bytes(get_swagger_ui_oauth2_redirect_html().body)
