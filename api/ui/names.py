"""What an inspector types into a unit, person or node field: an id, a uid or a name.

:func:`resolve_input` tries the exact forms first (``unit:JD``, ``JD``), then the name: one
exact name match wins; otherwise the ranked search decides when it finds one node, and
several candidates are raised as :class:`AmbiguousName` so the page can show them as
choices beside the kept input (never a silent guess). Only nodes the user's scope shows
are candidates (the queries apply it): an out-of-scope name is not found, exactly like a
missing one.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.errors import AmbiguousId, DutyGraphError, NotFound
from graph.messages import N_, Message
from graph.queries.common import resolve
from graph.queries.models import NodeRef
from graph.queries.search import search
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore

#: Candidates offered when a name matches several nodes.
CHOICES = 12


class AmbiguousName(DutyGraphError):
    """A typed name (or bare id) that matches several nodes: the page offers them."""

    def __init__(self, text: str, choices: Sequence[NodeRef]) -> None:
        super().__init__(Message("ui.name_ambiguous", text=text, n=len(choices)))
        self.text = text
        self.choices = list(choices)


def resolve_input(store: GraphStore, text: str, labels: tuple[str, ...] | None = None, *,
                  scope: Scope = EVERYTHING_SCOPE) -> NodeRef:
    """The node meant by ``text`` (uid, bare id or name), among ``labels`` and ``scope``.

    Raises
    ------
    NotFound
        Nothing the scope shows has that id or name.
    AmbiguousName
        Several nodes match; ``choices`` lists them (best first).
    """
    text = " ".join(text.split())
    missing: NotFound | None = None
    try:
        return NodeRef.of(resolve(store, text, labels, scope=scope))
    except AmbiguousId as exc:  # a bare id of several nodes (the scope's only)
        refs = [NodeRef.of(n) for uid in exc.uids if (n := store.get_node(uid)) is not None]
    except NotFound as exc:
        refs, missing = [], exc
    if not refs:
        hits = search(store, text, labels=list(labels) if labels else None,
                      limit=CHOICES * 4, scope=scope).hits
        found = [h.node for h in hits]
        exact = [r for r in found if r.caption == text]
        if len(exact) == 1:
            return exact[0]
        refs = exact or found
        if len(refs) == 1:
            return refs[0]
    if not refs:
        # Exactly what a missing id gives (an id the scope hides is no different).
        raise missing or NotFound(labels[0] if labels and len(labels) == 1 else "node", text)
    raise AmbiguousName(text, refs[:CHOICES])


class FieldInput:
    """A name field of a page after reading it: the node, or the choices, or the error.

    The page renders its form with :attr:`value` kept, the choices as links and the error
    beside the field, with :attr:`status` (404 when nothing matched).
    """

    def __init__(self, text: str, ref: NodeRef | None = None,
                 choices: Sequence[NodeRef] = (), error: str = "") -> None:
        self.text = text
        self.ref = ref
        self.choices = list(choices)
        self.error = error

    @property
    def value(self) -> str:
        """What the field shows: the node's name once resolved, else the typed text."""
        return self.ref.caption if self.ref is not None else self.text

    @property
    def failed(self) -> bool:
        return bool(self.choices or self.error)

    @property
    def status(self) -> int:
        return 404 if self.error else 200


def read_field(store: GraphStore, text: str, labels: tuple[str, ...] | None, *,
               scope: Scope, lang: str) -> FieldInput:
    """:func:`resolve_input` for a form field; an empty field is no node."""
    from api.i18n import Translator

    text = " ".join(text.split())
    if not text:
        return FieldInput("")
    try:
        return FieldInput(text, resolve_input(store, text, labels, scope=scope))
    except AmbiguousName as exc:
        return FieldInput(text, choices=exc.choices)
    except NotFound:
        t = Translator("en" if lang == "en" else "zh")
        kind = t.kind(labels[0]) if labels and len(labels) == 1 else t.text(N_("ui.node"))
        return FieldInput(text, error=t.text(Message("ui.name_not_found", text=text,
                                                     kind=kind)))
