"""The one place where DutyGraph's errors become HTTP responses.

Routes never catch domain errors: queries raise :mod:`graph.errors` exceptions and the
handlers registered here turn them into a small, predictable JSON body with a message in
Chinese and English:

===================  ======  ==========================================================
error                status  body
===================  ======  ==========================================================
NotFound             404     ``error="not_found"``, ``kind``, ``id``
AmbiguousId          409     ``error="ambiguous_id"``, ``id``, ``candidates`` (uids)
InvalidArgument      422     ``error="invalid_argument"``, ``fields`` [{field, reason}]
SchemaError          422     ``error="invalid_argument"`` (an unknown kind, type, code)
request validation   422     ``error="invalid_request"``, ``fields`` [{field, location, reason}]
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
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import (
    AmbiguousId,
    DutyGraphError,
    InvalidArgument,
    NotFound,
    SchemaError,
    StoreError,
    StoreUnavailable,
)
from graph.schema import SCHEMA

log = logging.getLogger("dutygraph.api")

#: Seconds a client should wait before retrying after a 503.
RETRY_AFTER = 5


class FieldProblem(BaseModel):
    """What is wrong with one input field."""

    field: str | None = Field(default=None, description="Parameter name (``as_of``, ...).")
    location: str | None = Field(default=None, description="``path``, ``query`` or ``body``.")
    reason: str = Field(description="Why the value was rejected.")


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str = Field(description="Stable machine-readable code, e.g. ``not_found``.")
    message_zh: str = Field(description="说明（中文）")
    message_en: str = Field(description="Explanation (English).")
    kind: str | None = Field(default=None, description="Kind of the missing node (404).")
    id: str | None = Field(default=None, description="The id that was not found (404/409).")
    candidates: list[str] | None = Field(default=None, description="Matching uids (409).")
    fields: list[FieldProblem] | None = Field(default=None, description="Bad fields (422).")


_EXAMPLES: dict[int, dict[str, Any]] = {
    404: {"error": "not_found", "kind": "Unit", "id": "NOPE",
          "message_zh": "未找到单位 NOPE", "message_en": "Unit 'NOPE' not found"},
    409: {"error": "ambiguous_id", "id": "X1", "candidates": ["unit:X1", "person:X1"],
          "message_zh": "编号 X1 对应多个对象，请写成 类型:编号（如 unit:X1）",
          "message_en": "id 'X1' is ambiguous: unit:X1, person:X1; write kind:id"},
    422: {"error": "invalid_request",
          "fields": [{"field": "as_of", "location": "query",
                      "reason": "Input should be a valid date"}],
          "message_zh": "请求参数有误：as_of", "message_en": "Invalid request parameter: as_of"},
    503: {"error": "store_unavailable",
          "message_zh": "数据库暂时不可用，请稍后重试",
          "message_en": "The database is unavailable; retry shortly"},
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


def _kind_zh(kind: str) -> str:
    try:
        return SCHEMA.node(kind).zh
    except SchemaError:
        return "对象" if kind in ("node", "") else kind


def _body(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def not_found(exc: NotFound) -> JSONResponse:
    return _body(404, ErrorBody(
        error="not_found", kind=exc.kind, id=exc.node_id,
        message_zh=f"未找到{_kind_zh(exc.kind)} {exc.node_id}",
        message_en=f"{exc.kind} {exc.node_id!r} not found"))


def ambiguous(exc: AmbiguousId) -> JSONResponse:
    return _body(409, ErrorBody(
        error="ambiguous_id", id=exc.node_id, candidates=exc.uids,
        message_zh=f"编号 {exc.node_id} 对应多个对象（{'、'.join(exc.uids)}），请写成 类型:编号",
        message_en=str(exc)))


def invalid(exc: InvalidArgument | SchemaError) -> JSONResponse:
    if isinstance(exc, InvalidArgument):
        problems = [FieldProblem(field=exc.field, reason=exc.reason)]
        what = exc.field
    else:
        problems = [FieldProblem(field=None, reason=str(exc))]
        what = str(exc)
    return _body(422, ErrorBody(
        error="invalid_argument", fields=problems,
        message_zh=f"参数有误：{what}", message_en=f"Invalid argument: {exc}"))


def unavailable(exc: Exception) -> JSONResponse:
    log.warning("store unavailable: %s", exc)
    return _body(503, ErrorBody(
        error="store_unavailable",
        message_zh=f"数据库暂时不可用，请 {RETRY_AFTER} 秒后重试（服务会在数据库恢复后自动恢复）",
        message_en=(f"The database is unavailable; retry in {RETRY_AFTER} s "
                    "(the service recovers by itself once the database is back)")),
        headers={"Retry-After": str(RETRY_AFTER)})


def store_error(exc: StoreError) -> JSONResponse:
    log.error("store error: %s", exc)
    return _body(500, ErrorBody(
        error="store_error", message_zh="数据库操作失败", message_en=f"Storage failed: {exc}"))


def _loc_field(loc: tuple[Any, ...] | list[Any]) -> tuple[str | None, str | None]:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("path", "query", "body", "header", "cookie"):
        return (".".join(parts[1:]) or None), parts[0]
    return (".".join(parts) or None), None


def validation(exc: RequestValidationError) -> JSONResponse:
    problems = []
    for err in exc.errors():
        field, location = _loc_field(err.get("loc", ()))
        problems.append(FieldProblem(field=field, location=location, reason=str(err.get("msg"))))
    names = "、".join(sorted({p.field or "?" for p in problems}))
    return _body(422, ErrorBody(
        error="invalid_request", fields=problems,
        message_zh=f"请求参数有误：{names}", message_en=f"Invalid request parameter: {names}"))


def http_error(exc: StarletteHTTPException) -> JSONResponse:
    code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
    zh = "未找到该地址" if exc.status_code == 404 else "请求未能处理"
    return JSONResponse(
        ErrorBody(error=code, message_zh=zh, message_en=str(exc.detail)).model_dump(
            exclude_none=True),
        status_code=exc.status_code, headers=getattr(exc, "headers", None))


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

    async def on_not_found(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NotFound)
        return not_found(exc)

    async def on_ambiguous(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AmbiguousId)
        return ambiguous(exc)

    async def on_invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidArgument | SchemaError)
        return invalid(exc)

    async def on_unavailable(_: Request, exc: Exception) -> JSONResponse:
        return unavailable(exc)

    async def on_store_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StoreError)
        return store_error(exc)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation(exc)

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return http_error(exc)

    async def on_other(_: Request, exc: Exception) -> JSONResponse:
        if _is_driver_unavailable(exc):
            return unavailable(exc)
        assert isinstance(exc, DutyGraphError)
        return _body(400, ErrorBody(error="bad_request", message_zh=f"请求无法处理：{exc}",
                                    message_en=str(exc)))

    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(AmbiguousId, on_ambiguous)
    app.add_exception_handler(InvalidArgument, on_invalid)
    app.add_exception_handler(SchemaError, on_invalid)
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
