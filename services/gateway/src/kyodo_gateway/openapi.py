"""One OpenAPI document for the whole platform, merged from each service's `/openapi.json`.

Only the paths the gateway routes are kept (a service's internal endpoints are not public).
Components with the same name and the same content are shared; a name that means different
things in two services is prefixed with the service's name in the second one, and that
service's references are rewritten to match.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import aiohttp

from kyodo_common import docs_pages, openapi

logger = logging.getLogger("kyodo.gateway")

TITLE = "Kyodo API"
_REF_PREFIX = "#/components/"
# Sections whose entries are referenced by "$ref"; security schemes are referenced by name
# from security requirements, so the first definition of a name is kept.
_FIRST_WINS = frozenset({"securitySchemes"})


def _routed(path: str, service: str, public: Mapping[str, str]) -> bool:
    parts = path.split("/")
    if len(parts) > 4 and path.startswith("/v1/municipalities/") and parts[4] == service:
        return True
    return any(s == service and (path == p or path.startswith(p + "/"))
               for p, s in public.items())


def _rewrite(node: Any, renames: Mapping[str, str]) -> Any:
    """A copy of `node` with `$ref`s to renamed components pointing at their new names."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in renames:
                out[key] = renames[value]
            else:
                out[key] = _rewrite(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite(v, renames) for v in node]
    return node


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF_PREFIX):
                found.add(value)
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _reachable(paths: Mapping[str, Any], components: Mapping[str, Any],
               ) -> dict[str, dict[str, Any]]:
    """The components the kept paths use, directly or through other components (security
    schemes all: they are named, not referenced)."""
    own: dict[str, dict[str, Any]] = {
        section: {} for section, items in components.items() if isinstance(items, dict)}
    for section in _FIRST_WINS & own.keys():
        own[section] = dict(components[section])
    todo: set[str] = set()
    _refs(paths, todo)
    seen: set[str] = set()
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        section, _, name = ref.removeprefix(_REF_PREFIX).partition("/")
        value = (components.get(section) or {}).get(name)
        if value is not None:
            own[section][name] = value
            _refs(value, todo)
    return {section: items for section, items in own.items() if items}


def merge(documents: Mapping[str, Mapping[str, Any]], public: Mapping[str, str],
          version: str = "1") -> dict[str, Any]:
    """Merges the services' documents (service name → document)."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": version,
                 "description": "Every Kyodo service behind the gateway: "
                                "/v1/municipalities/{code}/{service}/…\n\n"
                                + openapi.GLOSSARY_NOTE},
        "paths": {}, "components": {}, "tags": [],
    }
    components: dict[str, dict[str, Any]] = merged["components"]
    tag_names: set[str] = set()
    for service in sorted(documents):
        doc = documents[service]
        prefix = service[:1].upper() + service[1:]
        paths = {path: item for path, item in (doc.get("paths") or {}).items()
                 if _routed(path, service, public)}
        own = _reachable(paths, doc.get("components") or {})
        renames: dict[str, str] = {}
        # Renaming one component changes the references inside others: repeat until stable.
        while True:
            found = dict(renames)
            for section, items in own.items():
                if section in _FIRST_WINS:
                    continue
                target = components.get(section, {})
                for name, value in items.items():
                    ref = f"{_REF_PREFIX}{section}/{name}"
                    if ref in found:
                        continue
                    if name in target and target[name] != _rewrite(value, found):
                        new, n = f"{prefix}{name}", 2
                        while new in target or new in items:
                            new, n = f"{prefix}{name}{n}", n + 1
                        found[ref] = f"{_REF_PREFIX}{section}/{new}"
            if found == renames:
                break
            renames = found
        for section, items in own.items():
            target = components.setdefault(section, {})
            for name, value in items.items():
                ref = f"{_REF_PREFIX}{section}/{name}"
                new_name = renames.get(ref, ref).removeprefix(f"{_REF_PREFIX}{section}/")
                if section in _FIRST_WINS and new_name in target:
                    continue
                value = _rewrite(value, renames)
                if new_name != name and isinstance(value, dict) and "title" in value:
                    # Generated clients name their classes by title: two "JobPublic" would
                    # collide where the components do not.
                    value = {**value, "title": new_name}
                target.setdefault(new_name, value)
        for path, item in paths.items():
            merged["paths"].setdefault(path, _rewrite(item, renames))
        for tag in doc.get("tags") or ():
            if isinstance(tag, dict) and tag.get("name") not in tag_names:
                tag_names.add(tag["name"])
                merged["tags"].append(copy.deepcopy(tag))
    if not merged["tags"]:
        del merged["tags"]
    return merged


class OpenApiDocument:
    """The merged document, rebuilt at most every `ttl` seconds; a service that cannot be
    reached contributes its last good document."""

    def __init__(self, upstreams: Mapping[str, str], public: Mapping[str, str],
                 ttl: float) -> None:
        self._upstreams = dict(upstreams)
        self._public = dict(public)
        self._ttl = ttl
        self._documents: dict[str, dict[str, Any]] = {}
        self._body: bytes | None = None
        self._built_at = -float("inf")
        self._lock = asyncio.Lock()

    def cached(self) -> bytes | None:
        if self._body is not None and time.monotonic() - self._built_at < self._ttl:
            return self._body
        return None

    async def get(self) -> bytes:
        async with self._lock:
            body = self.cached()
            if body is not None:
                return body
            await self._fetch_all()
            merged = merge(self._documents, self._public)
            self._body = json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode()
            self._built_at = time.monotonic()
            return self._body

    async def _fetch_all(self) -> None:
        timeout = aiohttp.ClientTimeout(total=5.0)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            results = await asyncio.gather(
                *(self._fetch(session, name, url) for name, url in self._upstreams.items()))
        for name, document in zip(self._upstreams, results, strict=True):
            if document is not None:
                self._documents[name] = document

    async def _fetch(self, session: aiohttp.ClientSession, name: str,
                     url: str) -> dict[str, Any] | None:
        try:
            async with session.get(url + "/openapi.json") as response:
                response.raise_for_status()
                document = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            logger.warning("OpenAPI document of %s not fetched (%s)", name, type(exc).__name__)
            return None
        return document if isinstance(document, dict) else None


def swagger_ui_html(openapi_url: str = "/openapi.json") -> bytes:
    return docs_pages.swagger_ui(f"{TITLE} – docs", openapi_url)
