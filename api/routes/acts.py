"""The working loop, written: record a fulfilment against a duty, reply to a 廉情抄告 or a
督办, verify a reply (or send it back), issue a 督办.

Each route is one act of :mod:`loaders.acts` for the request's user
(:func:`api.security.acting.actor_of`): the fields are checked by the loader's rules, every
problem answered at once (422 ``invalid_fields``, each with the field and the reason in
Chinese and English); an item outside the user's scope is 404 like a missing id; an act the
user's unit may not make is 403 ``refused``, one the item's state refuses 409
``state_conflict``. A refused act writes nothing. A written act is appended to the audit log
before the answer leaves (who, the act, the nodes, the data versions around it).

Permissions: recording and replying need ``write`` (unit officers, admins); issuing and
verifying need ``supervise`` (inspectors of a discipline body, admins).
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from api.deps import StoreDep
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.acting import actor_of, audit_write
from api.security.policy import SuperviseScope, WriteScope
from graph.queries.common import uid_for
from loaders import acts
from loaders.change import Change

router = APIRouter(tags=["acts"])

_Text = Annotated[str | None, Field(max_length=4000)]
_Short = Annotated[str | None, Field(max_length=200)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordBody(_Body):
    """A fulfilment (履责记实)."""

    action: _Short = Field(None, description="What was done (the record's action code, e.g. "
                           "`meeting`, `talk`). / 履责行为。", examples=["meeting"])
    on: _Short = Field(None, description="Date done (ISO or 2026年3月1日; not in the future)."
                       " / 日期。", examples=["2026-03-01"])
    summary: _Text = Field(None, description="What happened. / 内容摘要。",
                           examples=["区委常委会专题研究党风廉政建设"])
    title: _Short = Field(None, description="Title (default: from the summary). / 标题。")
    by: _Short = Field(None, description="Person uid who acted (a holder of the duty or one "
                       "serving in a unit that holds it); default the first holder. / 履责人。")
    target: _Short = Field(None, description="Unit or person the act concerned (uid). / "
                           "对象。")


class ReplyBody(_Body):
    """A reply (回告 / 办理情况)."""

    reply: _Text = Field(None, description="The reply. / 回告内容。",
                         examples=["已召开专题会议，完成整改"])
    replied_on: _Short = Field(None, description="Date (default today). / 回告日期。")
    replied_by: _Short = Field(None, description="Person uid replying (a recipient or one "
                               "serving in the unit it was sent to). / 回告人。")


class VerifyBody(_Body):
    """A verification: accept (closes the item) or send back with a reason and new due
    date."""

    accept: bool = Field(description="true: verified (办结); false: sent back (退回). / 是否"
                         "核实通过。")
    verification: _Text = Field(None, description="Note (required when sending back). / "
                                "核实意见。")
    on: _Short = Field(None, description="Date (default today). / 日期。")
    due_on: _Short = Field(None, description="New deadline when sending back. / 新期限。")


class OrderBody(_Body):
    """A 督办."""

    issued_by: _Short = Field(None, description="Issuing unit (a discipline body or Party "
                              "committee the user acts for): uid or id. / 督办单位。",
                              examples=["unit:MH-JW"])
    sent_to: _Short = Field(None, description="Unit or person ordered (uid). / 督办对象。",
                            examples=["unit:MH-D04"])
    due_on: _Short = Field(None, description="Deadline (after the issue date). / 办理期限。",
                           examples=["2026-12-31"])
    about: _Short = Field(None, description="Issue, referral, duty or project uid it follows "
                          "up. / 督办事项。", examples=["issue:I-MH-R05"])
    finding: _Short = Field(None, description="Finding code it acts on. / 对应发现。")
    title: _Short = Field(None, description="Title. / 标题。")
    request: _Text = Field(None, description="What is asked. / 督办要求。")
    issued_on: _Short = Field(None, description="Date (default today). / 签发日期。")


class ActResult(BaseModel):
    """A written act."""

    act: str = Field(description="record, reply, verify, send-back or order.")
    uid: str = Field(description="The node written (the new record or order, the item "
                     "replied to or verified).")
    by: str = Field(description="The account.")
    at: str = Field(description="When (UTC, ISO).")
    data_version: str | None = Field(description="The graph's data version after the write.")
    change: int = Field(description="The change set it was recorded as (dutygraph loads "
                        "show ID; undone with loads undo ID).")


def _result(change: Change) -> ActResult:
    return ActResult(act=change.reason, uid=change.nodes[0].uid, by=change.user,
                     at=change.at, data_version=change.after, change=change.change)


def _unit(value: str | None) -> str | None:
    """A unit id as its uid (``MH-JW`` → ``unit:MH-JW``); a uid or nothing unchanged."""
    if not value or not value.strip():
        return value
    return uid_for(value.strip(), "Unit")


_WRITE_ERRORS = {**ok("act", status=201), **QUERY_ERRORS,
                 403: {"description": "Refused / 无权办理"}}


@router.post("/api/duties/{duty}/records", status_code=201, response_model=ActResult,
             summary="Record a fulfilment / 履责记实",
             description="A fulfilment record against the duty (in the user's scope). Needs "
             "`write`. The evidence file goes through the browser form (multipart).",
             responses=_WRITE_ERRORS)
async def record(
    request: Request, store: StoreDep, scope: WriteScope, body: RecordBody,
    duty: Annotated[str, Path(max_length=200, description="Duty uid or id. / 责任编号。")],
) -> ActResult:
    actor = actor_of(request, scope)
    change = await anyio.to_thread.run_sync(lambda: acts.record_fulfilment(
        store, actor, uid_for(duty, "Duty"), action=body.action, on=body.on,
        summary=body.summary, by=body.by, target=body.target, title=body.title))
    await audit_write(request, change)
    return _result(change)


def _reply_route(label: str, path: str, what: str) -> None:
    @router.post(path + "/reply", status_code=201, response_model=ActResult,
                 summary=f"Reply to a {what} / 回告", responses=_WRITE_ERRORS,
                 description=f"The reply to a {what} sent to the user's unit or person. "
                 "Needs `write`. Refused (409) once verified or while a reply awaits "
                 "verification.", name=f"reply_{label.lower()}")
    async def reply(request: Request, store: StoreDep, scope: WriteScope, body: ReplyBody,
                    item: Annotated[str, Path(max_length=200, description="Uid or id.")],
                    ) -> ActResult:
        actor = actor_of(request, scope)
        change = await anyio.to_thread.run_sync(lambda: acts.reply(
            store, actor, uid_for(item, label), text=body.reply, replied_on=body.replied_on,
            replied_by=body.replied_by))
        await audit_write(request, change)
        return _result(change)

    @router.post(path + "/verify", status_code=201, response_model=ActResult,
                 summary=f"Verify a {what}'s reply / 核实", responses=_WRITE_ERRORS,
                 description="Accept the reply (verified) or send it back with a reason and "
                 "a new deadline. Needs `supervise` and acting for the issuing body.",
                 name=f"verify_{label.lower()}")
    async def verify(request: Request, store: StoreDep, scope: SuperviseScope,
                     body: VerifyBody,
                     item: Annotated[str, Path(max_length=200, description="Uid or id.")],
                     ) -> ActResult:
        actor = actor_of(request, scope)
        change = await anyio.to_thread.run_sync(lambda: acts.verify(
            store, actor, uid_for(item, label), accept=body.accept, text=body.verification,
            on=body.on, due_on=body.due_on))
        await audit_write(request, change)
        return _result(change)


_reply_route("Referral", "/api/referrals/{item}", "referral (廉情抄告)")
_reply_route("SupervisionOrder", "/api/orders/{item}", "supervision order (督办)")


@router.post("/api/orders", status_code=201, response_model=ActResult,
             summary="Issue a 督办 / 签发督办", responses=_WRITE_ERRORS,
             description="A supervision order from a discipline body or Party committee the "
             "user acts for, to a unit or person in scope. Needs `supervise`.")
async def issue(request: Request, store: StoreDep, scope: SuperviseScope,
                body: OrderBody) -> ActResult:
    actor = actor_of(request, scope)
    change = await anyio.to_thread.run_sync(lambda: acts.issue_order(
        store, actor, issued_by=_unit(body.issued_by), sent_to=body.sent_to,
        due_on=body.due_on, about=body.about, finding=body.finding, title=body.title,
        request=body.request, issued_on=body.issued_on))
    await audit_write(request, change)
    return _result(change)
