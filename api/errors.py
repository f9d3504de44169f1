"""The one place where DutyGraph's errors become HTTP responses.

Routes never catch domain errors: queries raise :mod:`graph.errors` exceptions and the
handlers registered here turn them into a small, predictable JSON body: the machine code
``error``, the message's catalogue code ``code``, the message in the request's language
(``message``: ``?lang=``, the pages' language cookie, then ``Accept-Language``; Chinese by
default) and in both languages (``message_zh``, ``message_en``):

===================  ======  ==========================================================
error                status  body
===================  ======  ==========================================================
NotFound             404     ``error="not_found"``, ``kind``, ``id``
AmbiguousId          409     ``error="ambiguous_id"``, ``id``, ``candidates`` (uids)
InvalidArgument      422     ``error="invalid_argument"``, ``fields`` [{field, reason}]
InvalidFields        422     ``error="invalid_fields"``, ``fields`` [{field, reason}] (a write)
Refused              403     ``error="refused"`` (a write this user's unit may not make)
StateConflict        409     ``error="state_conflict"`` (a write the item's state refuses)
SchemaError          422     ``error="invalid_argument"`` (an unknown kind, type, code)
request validation   422     ``error="invalid_request"``, ``fields`` [{field, location, reason}]
UndoRefused,         409     ``error="conflict"``: an undo refused (a later change set
Conflict                     depends on it) or a guarded write that met another change
StoreUnavailable     503     ``error="store_unavailable"`` and a ``Retry-After`` header
StoreError           500     ``error="store_error"``
===================  ======  ==========================================================

Nothing is cached on failure: a 503 leaves the store as it was, and the Neo4j driver
reconnects by itself once the server answers again, so the next request simply works.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.i18n import Lang, api_lang, translate
from graph.errors import (
    AmbiguousId,
    DutyGraphError,
    InvalidArgument,
    InvalidFields,
    NotFound,
    Refused,
    SchemaError,
    StateConflict,
    StoreError,
    StoreUnavailable,
)
from graph.messages import Message
from graph.reasons import reason_of, validation_reason

log = logging.getLogger("dutygraph.api")

#: Seconds a client should wait before retrying after a 503.
RETRY_AFTER = 5


class FieldProblem(BaseModel):
    """What is wrong with one input field."""

    field: str | None = Field(default=None, description="Parameter name (``as_of``, ...).")
    location: str | None = Field(default=None, description="``path``, ``query`` or ``body``.")
    reason: str = Field(description="Why the value was rejected, in the request's language.")
    code: str | None = Field(default=None, description="Catalogue code of the reason "
                             "(``reason.no_such_date``), when DutyGraph knows it.")


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str = Field(description="Stable machine-readable code, e.g. ``not_found``.")
    code: str = Field(description="Catalogue code of the message (``error.not_found``): "
                      "the same condition in any language.")
    message: str = Field(description="The message in the request's language (``?lang=``, "
                         "the pages' language cookie, ``Accept-Language``; default Chinese).")
    message_zh: str = Field(description="说明（中文）")
    message_en: str = Field(description="Explanation (English).")
    kind: str | None = Field(default=None, description="Kind of the missing node (404).")
    id: str | None = Field(default=None, description="The id that was not found (404/409).")
    candidates: list[str] | None = Field(default=None, description="Matching uids (409).")
    fields: list[FieldProblem] | None = Field(default=None, description="Bad fields (422).")


_EXAMPLES: dict[int, dict[str, Any]] = {
    404: {"error": "not_found", "code": "error.not_found", "kind": "Unit", "id": "NOPE",
          "message": "没有编号为“NOPE”的单位。", "message_zh": "没有编号为“NOPE”的单位。",
          "message_en": "There is no unit with the id “NOPE”."},
    409: {"error": "ambiguous_id", "code": "error.ambiguous_id", "id": "X1",
          "candidates": ["unit:X1", "person:X1"],
          "message": "编号“X1”对应多个对象（unit:X1、person:X1），请写成 类型:编号",
          "message_zh": "编号“X1”对应多个对象（unit:X1、person:X1），请写成 类型:编号",
          "message_en": "The id “X1” names several records (unit:X1, person:X1); write kind:id"},
    422: {"error": "invalid_request", "code": "api.invalid_request",
          "fields": [{"field": "as_of", "location": "query",
                      "reason": "Input should be a valid date"}],
          "message": "请求参数有误：as_of", "message_zh": "请求参数有误：as_of",
          "message_en": "Invalid request parameter: as_of"},
    503: {"error": "store_unavailable", "code": "api.store_unavailable",
          "message": "数据库暂时不可用，请 5 秒后重试（服务会在数据库恢复后自动恢复）",
          "message_zh": "数据库暂时不可用，请 5 秒后重试（服务会在数据库恢复后自动恢复）",
          "message_en": "The database is unavailable; retry in 5 s (the service recovers by "
                        "itself once the database is back)"},
}
_DESCRIPTIONS = {
    404: "Not found / 未找到",
    409: "Ambiguous id / 编号有歧义",
    422: "Invalid parameters / 参数有误",
    503: "Database unavailable / 数据库不可用 (with Retry-After)",
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the given error statuses, with examples."""
    return {
        code: {"model": ErrorBody, "description": _DESCRIPTIONS[code],
               "content": {"application/json": {"example": _EXAMPLES[code]}}}
        for code in codes
    }


#: What almost every query route can answer besides 200.
QUERY_ERRORS = responses(404, 409, 422, 503)


def error_payload(error: str, message: Message, lang: Lang, **extra: Any) -> dict[str, Any]:
    """The body of an error answer: the machine code, the message's code and the message
    in ``lang`` and in both languages, and the answer's own fields (``None`` left out)."""
    body = ErrorBody(error=error, code=message.code, message=translate(message, lang),
                     message_zh=translate(message, "zh"), message_en=translate(message, "en"),
                     **extra)
    return body.model_dump(exclude_none=True)


def _json(request: Request, status: int, error: str, message: Message,
          headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(error_payload(error, message, api_lang(request), **extra),
                        status_code=status, headers=headers)


def error_json(request: Request, status: int, error: str, message: Message) -> JSONResponse:
    """An error answer outside the domain's exceptions (CSRF, forbidden, ...)."""
    return _json(request, status, error, message)


def not_found(request: Request, exc: NotFound) -> JSONResponse:
    return _json(request, 404, "not_found", exc.message, kind=exc.kind, id=exc.node_id)


def ambiguous(request: Request, exc: AmbiguousId) -> JSONResponse:
    return _json(request, 409, "ambiguous_id", exc.message, id=exc.node_id,
                 candidates=exc.uids)


def invalid(request: Request, exc: InvalidArgument | SchemaError) -> JSONResponse:
    lang = api_lang(request)
    if isinstance(exc, InvalidArgument):
        problem = FieldProblem(field=exc.field, reason=translate(exc.reason, lang),
                               code=exc.reason.code)
    else:
        problem = FieldProblem(field=None, reason=translate(exc.message, lang),
                               code=exc.message.code)
    return _json(request, 422, "invalid_argument", exc.message, fields=[problem])


def invalid_fields(request: Request, exc: InvalidFields) -> JSONResponse:
    lang = api_lang(request)
    problems = [FieldProblem(field=field, location="body", reason=translate(reason, lang),
                             code=reason.code) for field, reason in exc.problems]
    return _json(request, 422, "invalid_fields", exc.message, fields=problems)


def unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("store unavailable: %s", exc)
    return _json(request, 503, "store_unavailable",
                 Message("api.store_unavailable", seconds=RETRY_AFTER),
                 headers={"Retry-After": str(RETRY_AFTER)})


def store_error(request: Request, exc: StoreError) -> JSONResponse:
    log.error("store error: %s", exc)
    return _json(request, 500, "store_error", Message("api.store_error", detail=exc.message))


def _loc_field(loc: tuple[Any, ...] | list[Any]) -> tuple[str | None, str | None]:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("path", "query", "body", "header", "cookie"):
        return (".".join(parts[1:]) or None), parts[0]
    return (".".join(parts) or None), None


def validation_problems(exc: RequestValidationError) -> list[tuple[str, Message]]:
    """(field, reason) of each refused parameter; a reason DutyGraph does not know is
    FastAPI's own text."""
    out = []
    for err in exc.errors():
        field, _ = _loc_field(err.get("loc", ()))
        reason = reason_of(err)
        out.append((field or "?", reason))
    return out


def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    lang = api_lang(request)
    problems = []
    for err in exc.errors():
        field, location = _loc_field(err.get("loc", ()))
        reason = validation_reason(err)
        problems.append(FieldProblem(
            field=field, location=location,
            reason=translate(reason, lang) if reason else str(err.get("msg")),
            code=reason.code if reason else None))
    names = sorted({p.field or "?" for p in problems})
    return _json(request, 422, "invalid_request", Message("api.invalid_request", names=names),
                 fields=problems)


def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 404:
        error, message = "not_found", Message("api.no_such_address")
    else:
        error = f"http_{exc.status_code}"
        message = Message("api.http_error", detail=str(exc.detail))
    return _json(request, exc.status_code, error, message,
                 headers=getattr(exc, "headers", None))


def _is_driver_unavailable(exc: BaseException) -> bool:
    # A safety net: the Neo4j store wraps driver errors, but a connection lost while a
    # result streams may surface as the driver's own exception type.
    try:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired
    except ImportError:  # pragma: no cover - the driver is a dependency
        return False
    return isinstance(exc, ServiceUnavailable | SessionExpired)


def install(app: FastAPI) -> None:
    """Register every handler on ``app`` (called once by :func:`api.app.create_app`)."""

    async def on_not_found(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NotFound)
        return not_found(request, exc)

    async def on_ambiguous(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AmbiguousId)
        return ambiguous(request, exc)

    async def on_invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidArgument | SchemaError)
        return invalid(request, exc)

    async def on_unavailable(request: Request, exc: Exception) -> JSONResponse:
        return unavailable(request, exc)

    async def on_invalid_fields(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidFields)
        return invalid_fields(request, exc)

    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Refused)
        return _json(request, 403, "refused", exc.message)

    async def on_state(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StateConflict)
        return _json(request, 409, "state_conflict", exc.message)

    async def on_store_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StoreError)
        return store_error(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        from api.ui.render import invalid_request_page, is_page

        if is_page(request):  # the inspectors' pages answer with a page, in their language
            return invalid_request_page(request, validation_problems(exc))
        return validation(request, exc)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return http_error(request, exc)

    async def on_other(request: Request, exc: Exception) -> JSONResponse:
        if _is_driver_unavailable(exc):
            return unavailable(request, exc)
        assert isinstance(exc, DutyGraphError)
        return _json(request, 400, "bad_request", Message("api.bad_request", detail=exc.message))

    async def on_conflict(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DutyGraphError)
        return _json(request, 409, "conflict", exc.message)

    from graph.history.undo import UndoRefused
    from graph.store.history import Conflict

    app.add_exception_handler(UndoRefused, on_conflict)
    app.add_exception_handler(Conflict, on_conflict)
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(AmbiguousId, on_ambiguous)
    app.add_exception_handler(InvalidArgument, on_invalid)
    app.add_exception_handler(SchemaError, on_invalid)
    app.add_exception_handler(InvalidFields, on_invalid_fields)
    app.add_exception_handler(Refused, on_refused)
    app.add_exception_handler(StateConflict, on_state)
    app.add_exception_handler(StoreUnavailable, on_unavailable)
    app.add_exception_handler(StoreError, on_store_error)
    app.add_exception_handler(DutyGraphError, on_other)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    try:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired
    except ImportError:  # pragma: no cover
        return
    app.add_exception_handler(ServiceUnavailable, on_other)
    app.add_exception_handler(SessionExpired, on_other)
