"""DutyGraph's own exceptions. Driver and I/O errors are wrapped into these so that callers
(the CLI, the API's one error handler) never see a backend's exception types."""

from __future__ import annotations


class DutyGraphError(Exception):
    """Base of every error DutyGraph raises on purpose."""


class SchemaError(DutyGraphError):
    """A label, relationship type, property or enum value the schema does not declare."""


class StoreError(DutyGraphError):
    """A storage backend failed (a write rejected, a file unreadable, ...)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (down, restarting, wrong address or credentials)."""


class NotFound(DutyGraphError):
    """No node of that kind and id (or it lies outside the caller's scope)."""

    def __init__(self, kind: str, node_id: str) -> None:
        super().__init__(f"{kind} {node_id!r} not found")
        self.kind = kind
        self.node_id = node_id


class AmbiguousId(DutyGraphError):
    """A bare id that names nodes of more than one kind; write kind:id instead."""

    def __init__(self, node_id: str, uids: list[str]) -> None:
        super().__init__(f"id {node_id!r} is ambiguous: {', '.join(uids)}; write kind:id")
        self.node_id = node_id
        self.uids = uids


class InvalidArgument(DutyGraphError):
    """A query parameter out of range or malformed (a bad date, an unknown code, ...)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
