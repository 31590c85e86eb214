"""Event types as a developer might change them, for the contract tests to catch."""

from __future__ import annotations

from typing import Any

from pydantic import create_model

from kyodo_common.events import DomainEvent


def changed(cls: type[DomainEvent], *, remove: str | None = None,
            retype: tuple[str, Any] | None = None) -> type[DomainEvent]:
    """The same event type as `cls` (name, module, CloudEvents type, topic) with one field
    removed or given another type; replace the module's attribute with it (monkeypatch) and
    the documents are generated from it."""
    fields: dict[str, Any] = {n: (f.annotation, f) for n, f in cls.model_fields.items()}
    if remove is not None:
        assert remove in fields, remove
        del fields[remove]
    if retype is not None:
        name, annotation = retype
        assert name in fields, name
        fields[name] = (annotation, ...)
    modified: type[DomainEvent] = create_model(  # type: ignore[call-overload]
        cls.__name__, __base__=DomainEvent, __module__=cls.__module__, __doc__=cls.__doc__,
        **fields)
    modified.event_type = cls.event_type  # type: ignore[misc]
    modified.topic = cls.topic  # type: ignore[misc]
    return modified
