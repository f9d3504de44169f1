"""DutyGraph's own exceptions. Driver and I/O errors are wrapped into these so that callers
(the CLI, the API's one error handler) never see a backend's exception types.

Every exception carries a :class:`graph.messages.Message` (``exc.message``): a catalogue
code and its parameters, which the API and the CLI render in the reader's language.
``str(exc)`` gives both languages (for logs and tracebacks).
"""

from __future__ import annotations

from graph.messages import N_, Bilingual, Message, as_message


class DutyGraphError(Exception):
    """Base of every error DutyGraph raises on purpose.

    Parameters
    ----------
    message
        What went wrong: a :class:`~graph.messages.Message`, or a plain text reported by a
        backend or library (kept as written in both languages).
    """

    def __init__(self, message: str | Message = "") -> None:
        super().__init__(message)
        self.message: Message = as_message(message)

    @property
    def code(self) -> str:
        """The catalogue code of the message (``error.not_found``, ``reason.range``)."""
        return self.message.code

    def __str__(self) -> str:
        return str(self.message)


class SchemaError(DutyGraphError):
    """A label, relationship type, property or enum value the schema does not declare."""


class StoreError(DutyGraphError):
    """A storage backend failed (a write rejected, a file unreadable, ...)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (down, restarting, wrong address or credentials)."""


class NotFound(DutyGraphError):
    """No node of that kind and id (or it lies outside the caller's scope).

    ``kind`` is a node label (``Unit``), a uid prefix (``unit``) or ``node``.
    """

    def __init__(self, kind: str, node_id: str) -> None:
        Exception.__init__(self, kind, node_id)
        self.kind = kind
        self.node_id = node_id
        self.message = Message("error.not_found", kind=kind_name(kind), id=node_id)


class AmbiguousId(DutyGraphError):
    """A bare id that names nodes of more than one kind; write kind:id instead."""

    def __init__(self, node_id: str, uids: list[str]) -> None:
        Exception.__init__(self, node_id, uids)
        self.node_id = node_id
        self.uids = uids
        self.message = Message("error.ambiguous_id", id=node_id, candidates=list(uids))


class InvalidArgument(DutyGraphError):
    """A query parameter out of range or malformed (a bad date, an unknown code, ...).

    Parameters
    ----------
    field
        The parameter's name (``as_of``, ``limit``).
    reason
        Why it was refused: a ``reason.*`` message, or a plain text.
    """

    def __init__(self, field: str, reason: str | Message) -> None:
        Exception.__init__(self, field, reason)
        self.field = field
        self.reason: Message = as_message(reason)
        self.message = Message("error.invalid_argument", field=field, reason=self.reason)


def kind_name(kind: str) -> Bilingual | Message:
    """The name of a node kind given as a label or a uid prefix, in both languages.

    >>> kind_name("Unit"), kind_name("unit")
    (Bilingual('单位', 'unit'), Bilingual('单位', 'unit'))
    >>> kind_name("thing")
    Message('error.kind_unknown')
    """
    from graph.schema import SCHEMA  # the schema raises these errors: imported when used

    for find in (SCHEMA.node, SCHEMA.node_by_prefix):
        try:
            node = find(kind)
        except SchemaError:
            continue
        return Bilingual(node.zh, node.en)
    return Message("error.kind_unknown")


#: One bad field and why (nested in ``error.invalid_fields``, so marked here for extraction).
_FIELD_REASON = N_("error.field_reason")


class InvalidFields(DutyGraphError):
    """Input to a write with one or more bad fields; nothing was written.

    Parameters
    ----------
    problems
        ``(field, reason)`` per bad field, the reason a ``reason.*`` / ``load.*`` message.
    """

    def __init__(self, problems: list[tuple[str, Message]]) -> None:
        Exception.__init__(self, problems)
        self.problems = problems
        self.message = Message("error.invalid_fields",
                               fields=[Message(_FIELD_REASON, field=f, reason=r)
                                       for f, r in problems])


class Refused(DutyGraphError):
    """A write this user may not make (another unit's order to verify, an issuing body that
    is not a discipline body or committee); nothing was written."""


class StateConflict(DutyGraphError):
    """A write the item's state does not allow (a reply to a verified referral, a
    verification before any reply); nothing was written."""
