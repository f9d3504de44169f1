"""The working loop's everyday acts, each written through :func:`loaders.change.record_change`
as a change set of the history (kind ``act``: listed, diffed and undone like a load):

* :func:`record_fulfilment` — a unit officer records a fulfilment against a duty (action,
  date, text, an optional evidence file kept beside the graph with its SHA-256);
* :func:`reply` — a leader (or an officer for them) replies to a 廉情抄告 or a 督办;
* :func:`verify` — the issuing body verifies a reply and closes the item, or sends it back
  with a new deadline;
* :func:`issue_order` — a discipline body or Party committee issues a 督办 to a unit or a
  person about an issue, referral, duty or project (or a finding about one).

Every field is checked by the loader's own rules (:func:`loaders.values.converter` of the
schema property: dates, enums, lengths, and the same messages), all problems at once
(:class:`graph.errors.InvalidFields`, each with the field and the reason). The items named
must exist in the actor's scope (else NotFound, as for a missing id); an act the actor's
unit may not make is :class:`graph.errors.Refused`, one the item's state does not allow
:class:`graph.errors.StateConflict`. A refused act writes nothing.

State transitions (referral / 督办)::

    open|overdue / issued  --reply-->  replied  --verify-->  verified
                                          \\--send back (new due date)-->  returned / reopened
    returned / reopened  --reply-->  replied ...

A verified item takes no reply; a verification needs a reply first.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import evidence as evidence_files
from graph.dates import today
from graph.errors import InvalidFields, NotFound, Refused, SchemaError, StateConflict
from graph.history.facts import PROVENANCE, FactState
from graph.messages import Message
from graph.schema import SCHEMA, split_uid
from graph.scope import Scope
from graph.store.base import GraphStore, NodeRecord, RelRecord
from graph.store.ops.loop import ActContextRow
from loaders.change import Change, acting, record_change
from loaders.errors import CODES
from loaders.titles import summary_title
from loaders.values import BadValue, converter, to_text

#: Kinds of unit that may issue (and verify) a 督办 or a 廉情抄告.
ISSUING_KINDS = ("discipline_body", "party_committee")
_OPEN = {"Referral": (None, "open", "overdue", "returned"),
         "SupervisionOrder": (None, "issued", "reopened")}
_SENT_BACK = {"Referral": ("returned", "returned_on"),
              "SupervisionOrder": ("reopened", "reopened_on")}


@dataclass(frozen=True)
class Actor:
    """Who acts: the account, what it sees, the units it acts for and its person."""

    user: str
    scope: Scope
    #: Uids of the units the account acts for (issues and verifies as); ``None``: any (an
    #: administrator).
    units: frozenset[str] | None
    #: The person the account belongs to (the replier by default), if recorded.
    person: str | None = None


@dataclass(frozen=True)
class Upload:
    """An evidence file as received: its name and content."""

    name: str
    data: bytes


class _Fields:
    """Checks fields by the schema's rules, collecting every problem."""

    def __init__(self, label: str) -> None:
        self.kind = SCHEMA.node(label)
        self.problems: list[tuple[str, Message]] = []

    def value(self, field: str, raw: Any, *, prop: str | None = None,
              required: bool = False) -> Any:
        text = "" if raw is None else to_text(raw) if not isinstance(raw, str) else raw.strip()
        if not text:
            if required:
                self.problems.append((field, Message("load.REQUIRED")))
            return None
        p = self.kind.prop(prop or field)
        try:
            return converter(p)(text)
        except BadValue as bad:
            self.problems.append((field, Message(CODES[bad.code], value=to_text(bad.value),
                                                 detail=bad.detail, tables="")))
            return None

    def problem(self, field: str, reason: Message) -> None:
        self.problems.append((field, reason))

    def check(self) -> None:
        if self.problems:
            raise InvalidFields(self.problems)


@dataclass(frozen=True)
class _Target:
    """A node an act names, with the neighbours its checks read."""

    node: NodeRecord
    context: ActContextRow
    #: The node's provenance when read (``_change``, ``_sources``): a write of it is
    #: guarded by it, so an act never overwrites what another process changed meanwhile.
    state: FactState

    def uids(self, key: str) -> list[str]:
        return [str(p["uid"]) for p in self.context[key]]  # type: ignore[literal-required]


def _visible(store: GraphStore, uid: str, labels: tuple[str, ...], scope: Scope) -> _Target:
    """The node ``uid`` when it is one of ``labels`` and in scope (one read); NotFound
    otherwise (the same answer for a node out of scope as for one that does not exist)."""
    try:
        label, node_id = split_uid(uid)
    except SchemaError:
        raise NotFound(labels[0], uid) from None
    row = store.reads.act_context(uid, scope) if label in labels else None
    if row is None:
        raise NotFound(label if label in labels else labels[0], node_id)
    # Provenance is the store's to keep (graph.history), not a property an act rewrites.
    props = {k: v for k, v in row["node"].items()
             if k not in ("uid", "id") and k not in PROVENANCE}
    return _Target(NodeRecord(label, node_id, props), row,
                   FactState.of(row["node"], ("uid", "id")))


def _new_id(prefix: str) -> str:
    """A new id: the prefix, today's date and 48 random bits (no two acts ever meet)."""
    return f"{prefix}-{today().replace('-', '')}-{secrets.token_hex(6).upper()}"


def _not_future(fields: _Fields, field: str, value: str | None) -> None:
    if value and value > today():
        fields.problem(field, Message("act.date_in_future", date=value))


def record_fulfilment(store: GraphStore, actor: Actor, duty: str, *, action: str | None,
                      on: str | None, summary: str | None, by: str | None = None,
                      target: str | None = None, title: str | None = None,
                      upload: Upload | None = None, home: Path | None = None,
                      max_bytes: int | None = None) -> Change:
    """A fulfilment record (履责记实) against ``duty``.

    ``by`` (default: the duty's first holder) must hold the duty or serve in a unit that
    does; ``target`` (who the act concerned) is optional; ``upload`` is stored under
    ``home`` (at most ``max_bytes``) and named on the record with its SHA-256.
    """
    found = _visible(store, duty, ("Duty",), actor.scope)
    node = found.node
    fields = _Fields("Record")
    act = fields.value("action", action, required=True)
    day = fields.value("on", on, required=True)
    _not_future(fields, "on", day)
    text = fields.value("summary", summary, required=True)
    head = fields.value("title", title)
    holders = found.uids("holders")
    actor_uid = (by or "").strip() or (holders[0] if holders else None)
    if actor_uid is None:
        fields.problem("by", Message("load.REQUIRED"))
    elif actor_uid not in holders and actor_uid not in found.context["members"]:
        fields.problem("by", Message("act.not_a_holder", duty=node.caption))
    concerned = None
    if target and target.strip():
        try:
            concerned = _visible(store, target.strip(), ("Unit", "Person"),
                                 actor.scope).node.uid
        except NotFound:
            fields.problem("target", Message("act.no_such_node", id=target.strip()))
    saved = None
    if upload is not None and upload.data:
        if max_bytes is not None and len(upload.data) > max_bytes:
            fields.problem("evidence", Message("act.file_too_large", size=len(upload.data),
                                               max=max_bytes))
        elif home is None:
            fields.problem("evidence", Message("act.no_evidence_store"))
    fields.check()
    assert actor_uid is not None and text is not None
    with acting():
        if upload is not None and upload.data and home is not None:
            saved = evidence_files.save(home, upload.name, upload.data)
        node_id = _new_id("R")
        props: dict[str, Any] = {
            "title": head or summary_title(text), "kind": "fulfilment", "action": act,
            "on": day, "summary": text,
            "evidence": saved.name if saved else None,
            "evidence_sha256": saved.sha256 if saved else None}
        record = NodeRecord("Record", node_id, props)
        rels = [RelRecord.make("FULFILS", record.uid, node.uid),
                RelRecord.make("BY", record.uid, actor_uid)]
        if concerned:
            rels.append(RelRecord.make("CONCERNS", record.uid, concerned))
        return record_change(store, actor.user, "record", [record], rels, touched=[node.uid])


def _check_issuing(store: GraphStore, actor: Actor, issuer: Mapping[str, Any] | None) -> None:
    """The actor must act for a discipline body or committee, and for ``issuer`` (a unit
    as ``uid``, ``name``, ``kind``)."""
    if actor.units is not None:
        kinds = {n.props.get("kind") for u in sorted(actor.units) if (n := store.get_node(u))}
        if not kinds & set(ISSUING_KINDS):
            raise Refused(Message("act.refused_not_discipline"))
        if issuer is None or issuer["uid"] not in actor.units:
            raise Refused(Message("act.refused_not_issuer",
                                  unit=(issuer or {}).get("name") or "-"))
    elif issuer is not None and issuer.get("kind") not in ISSUING_KINDS:
        raise Refused(Message("act.refused_not_discipline"))


def reply(store: GraphStore, actor: Actor, uid: str, *, text: str | None,
          replied_on: str | None = None, replied_by: str | None = None) -> Change:
    """The reply (回告 / 办理情况) to a referral or order, by ``replied_by`` (a person it was
    sent to, or serving in the unit it was sent to; default the actor's person if so, else
    the first person it was sent to)."""
    with acting():
        found = _visible(store, uid, ("Referral", "SupervisionOrder"), actor.scope)
        node = found.node
        status = node.props.get("status")
        if status == "verified":
            raise StateConflict(Message("act.already_verified"))
        if status not in _OPEN[node.label] or (node.props.get("replied_on")
                                              and status not in _SENT_BACK[node.label][:1]):
            raise StateConflict(Message("act.already_replied"))
        fields = _Fields(node.label)
        body = fields.value("reply", text, required=True)
        day = fields.value("replied_on", replied_on or today(), required=True)
        _not_future(fields, "replied_on", day)
        issued = node.props.get("issued_on")
        if day and issued and day < issued:
            fields.problem("replied_on", Message("act.date_before", date=issued))
        persons = [u for u in found.uids("recipients") if u.startswith("person:")]
        allowed = {*persons, *found.context["members"]}
        who = (replied_by or "").strip() or (
            actor.person if actor.person in allowed else (persons[0] if persons else None))
        if who is not None and who not in allowed:
            fields.problem("replied_by", Message("act.not_a_recipient", id=who))
        fields.check()
        props = {**node.props, "reply": body, "replied_on": day, "status": "replied"}
        rels = [] if who is None else [RelRecord.make("REPLIED_BY", node.uid, who)]
        return record_change(store, actor.user, "reply",
                             [NodeRecord(node.label, node.id, props)], rels, touched=[node.uid],
                             read={node.uid: found.state})


def verify(store: GraphStore, actor: Actor, uid: str, *, accept: bool,
           text: str | None, on: str | None = None, due_on: str | None = None) -> Change:
    """The issuing body's verification of a reply: ``accept`` closes the item (verified);
    otherwise it is sent back with ``text`` as the reason and a new ``due_on``."""
    with acting():
        found = _visible(store, uid, ("Referral", "SupervisionOrder"), actor.scope)
        node = found.node
        issuers = found.context["issuers"]
        _check_issuing(store, actor, issuers[0] if issuers else None)
        status = node.props.get("status")
        if status == "verified":
            raise StateConflict(Message("act.already_verified"))
        if status != "replied":
            raise StateConflict(Message("act.not_replied"))
        fields = _Fields(node.label)
        note = fields.value("verification", text, required=not accept)
        day = fields.value("on", on or today(), required=True,
                           prop="verified_on" if accept else _SENT_BACK[node.label][1])
        _not_future(fields, "on", day)
        replied = node.props.get("replied_on")
        if day and replied and day < replied:
            fields.problem("on", Message("act.date_before", date=replied))
        props = {**node.props, "verification": note}
        if accept:
            props.update(status="verified", verified_on=day)
        else:
            due = fields.value("due_on", due_on, required=True)
            if due and day and due <= day:
                fields.problem("due_on", Message("act.date_not_after", date=day))
            state, dated = _SENT_BACK[node.label]
            props.update({"status": state, dated: day, "due_on": due})
        fields.check()
        return record_change(store, actor.user, "verify" if accept else "send-back",
                             [NodeRecord(node.label, node.id, props)], touched=[node.uid],
                             read={node.uid: found.state})


def issue_order(store: GraphStore, actor: Actor, *, issued_by: str | None, sent_to: str | None,
                due_on: str | None, about: str | None = None, finding: str | None = None,
                title: str | None = None, request: str | None = None,
                issued_on: str | None = None) -> Change:
    """A 督办 from ``issued_by`` (a discipline body or Party committee the actor acts for)
    to ``sent_to`` (a unit or person in scope), due ``due_on``, optionally about an issue,
    referral, duty or project (``about``) and a finding code (``finding``)."""
    from graph.analytics.findings import CODES as FINDINGS

    fields = _Fields("SupervisionOrder")
    issuer = None
    if not (issued_by or "").strip():
        fields.problem("issued_by", Message("load.REQUIRED"))
    else:
        issuer = _visible(store, str(issued_by).strip(), ("Unit",), actor.scope).node
        if issuer.props.get("kind") not in ISSUING_KINDS:
            raise Refused(Message("act.refused_not_discipline"))
        _check_issuing(store, actor, {"uid": issuer.uid, "name": issuer.caption,
                                      "kind": issuer.props.get("kind")})
    to = None
    if not (sent_to or "").strip():
        fields.problem("sent_to", Message("load.REQUIRED"))
    else:
        to = _visible(store, str(sent_to).strip(), ("Unit", "Person"), actor.scope).node
    subject = None
    if about and about.strip():
        subject = _visible(store, about.strip(), ("Issue", "Referral", "Duty", "Project"),
                           actor.scope).node
    code = (finding or "").strip() or None
    if code is not None and code not in FINDINGS:
        fields.problem("finding", Message("reason.one_of", expected=list(FINDINGS)))
    day = fields.value("issued_on", issued_on or today(), required=True)
    _not_future(fields, "issued_on", day)
    due = fields.value("due_on", due_on, required=True)
    if due and day and due <= day:
        fields.problem("due_on", Message("act.date_not_after", date=day))
    head = fields.value("title", title)
    ask = fields.value("request", request)
    fields.check()
    assert issuer is not None and to is not None
    with acting():
        node_id = _new_id("DB")
        props: Mapping[str, Any] = {
            "title": head or f"{SCHEMA.node('SupervisionOrder').zh} · {to.caption} · {day}",
            "issued_on": day, "due_on": due, "status": "issued", "finding": code,
            "request": ask}
        order = NodeRecord("SupervisionOrder", node_id, dict(props))
        rels = [RelRecord.make("ORDERED_BY", order.uid, issuer.uid),
                RelRecord.make("ORDERED_TO", order.uid, to.uid)]
        if subject is not None:
            rels.append(RelRecord.make("FOLLOWS_UP", order.uid, subject.uid))
        return record_change(store, actor.user, "order", [order], rels, touched=[order.uid])
