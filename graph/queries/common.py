"""Helpers every query shares: resolving what a user types to a node, and turning stored
property maps into references. Dates live in :mod:`graph.dates` (re-exported here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.dates import active, as_of_or_today, parse_date, today
from graph.errors import AmbiguousId, NotFound
from graph.schema import SCHEMA, split_uid, uid_of
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore, NodeRecord

__all__ = ["active", "as_of_or_today", "parse_date", "ref_of", "resolve", "today", "uid_for"]


def resolve(store: GraphStore, ref: str, labels: tuple[str, ...] | None = None, *,
            scope: Scope = EVERYTHING_SCOPE) -> NodeRecord:
    """The node a user means by ``ref``: a uid (``unit:JD``) or a bare id (``JD``).

    A bare id must name exactly one node of the allowed labels that ``scope`` lets the user
    see: a node outside the scope is not found, and an id shared with a node outside the
    scope is not ambiguous (nothing tells the user the other one exists). Raises NotFound
    (with the expected kind) or AmbiguousId.
    """
    kind = labels[0] if labels and len(labels) == 1 else "node"
    if ":" in ref:
        prefix = ref.partition(":")[0]
        if prefix.lower() in {n.prefix for n in SCHEMA.nodes}:
            label, node_id = split_uid(ref)
            if labels and label not in labels:
                raise NotFound(kind, ref)
            node = store.get_node(uid_of(label, node_id))
            if node is None or not (scope.everything or store.reads.visible([node.uid], scope)):
                raise NotFound(label, node_id)
            return node
    found = store.find_ids(ref, labels)
    if found and not scope.everything:
        seen = store.reads.visible([n.uid for n in found], scope)
        found = [n for n in found if n.uid in seen]
    if not found:
        raise NotFound(kind, ref)
    if len(found) > 1:
        raise AmbiguousId(ref, [n.uid for n in found])
    return found[0]


def uid_form(ref: str) -> str | None:
    """The uid ``ref`` names when it is written as one (``unit:JD``), else None (a bare id,
    which :func:`resolve` looks up). Lets a query skip the lookup round trip and report
    NotFound itself when its own match finds nothing.

    >>> uid_form("unit:JD"), uid_form("JD")
    ('unit:JD', None)
    """
    prefix, sep, _ = ref.partition(":")
    if sep and prefix.lower() in {n.prefix for n in SCHEMA.nodes}:
        return uid_of(*split_uid(ref))
    return None








# -- turning stored nodes into records (added for the unit/person/chain queries) ---------
def record_of(props: Mapping[str, Any]) -> NodeRecord:
    """A NodeRecord from a node's stored properties as Cypher returns them (with ``uid``).

    The label comes from the uid's prefix, so queries need not return ``labels(n)``.
    """
    label, node_id = split_uid(str(props["uid"]))
    names = SCHEMA.node(label).prop_names
    return NodeRecord(label, node_id, {k: v for k, v in props.items() if k in names})


def uid_for(ref: str, label: str) -> str:
    """The uid a user means by ``ref`` in a query about one kind of node, with no round trip.

    ``unit:JD`` stays as it is and a bare ``JD`` becomes ``unit:JD`` (with one allowed
    label a bare id cannot be ambiguous); a uid of another kind raises NotFound, as
    :func:`resolve` does. Whether the node exists is for the query itself to find out, so
    that a lookup costs no extra round trip to the database.

    >>> uid_for("JD", "Unit"), uid_for("unit:JD", "Unit")
    ('unit:JD', 'unit:JD')
    """
    prefix, sep, node_id = ref.partition(":")
    if sep and prefix.lower() in {n.prefix for n in SCHEMA.nodes}:
        other, node_id = split_uid(ref) if node_id else (SCHEMA.node_by_prefix(prefix).label, "")
        if other != label or not node_id:
            raise NotFound(label, ref)
        return uid_of(label, node_id)
    if not ref:
        raise NotFound(label, ref)
    return uid_of(label, ref)




def ref_of(props: Mapping[str, Any]) -> dict[str, str]:
    """The fields of a :class:`graph.queries.models.NodeRef` from stored properties with
    ``uid`` (Cypher's ``properties(n)`` or a map projection with the caption), as a plain
    dict.

    Results with hundreds of nested references are shaped as dicts and validated once
    (``Model.model_validate``), which is several times faster than building each model.
    """
    uid = str(props["uid"])
    prefix, _, node_id = uid.partition(":")
    kind = SCHEMA.node_by_prefix(prefix)
    caption = props.get(kind.caption)
    return {"uid": uid, "label": kind.label, "id": node_id,
            "caption": str(caption) if caption not in (None, "") else node_id}
