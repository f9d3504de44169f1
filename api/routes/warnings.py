"""The working loop, read: the early-warning list (JSON, CSV, XLSX), roll-ups per unit,
subtree and person, a duty's progress per holder, per-leader reply timeliness, and a
record's evidence file."""

from __future__ import annotations

import re
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AsOfParam, OffsetParam, SettingsDep, StoreDep, iso, one_of
from api.errors import QUERY_ERRORS
from api.i18n import api_lang
from api.reports.warnings import to_csv, to_xlsx
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph import evidence
from graph.errors import NotFound
from graph.queries.common import uid_for
from graph.queries.warnings import (
    COLOURS,
    MAX_LIMIT,
    TYPES,
    Rollup,
    Timeliness,
    WarningItem,
    WarningList,
    duty_progress,
    rollup,
    timeliness,
    warnings,
)
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(tags=["warnings"])

UnitFilter = Annotated[str | None, Query(
    max_length=100, description="Only this unit's subtree: uid, id or name (名称). / "
    "限定单位及其下级（可填名称）。", examples=["闵行区委"])]
TypeFilter = Annotated[list[Annotated[str, one_of(TYPES)]] | None, Query(
    alias="type", description="Item types (repeat): " + ", ".join(TYPES)
    + ". / 事项类型，可多选。")]
StatusFilter = Annotated[list[Annotated[str, one_of(COLOURS)]] | None, Query(
    alias="status", description="Colours (repeat); default red and yellow. / "
    "状态（红、黄、绿），默认红黄。")]
HolderFilter = Annotated[str | None, Query(
    max_length=100, description="Only items whose next actor is this node (uid or id) or "
    "whose name contains this text. / 责任人或承办人（编号或姓名）。")]
WarnLimit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1–10000). / "
                                 "每页条数。", examples=[50])]
_AS_OF_DOC = "Judge the items as of this date (ISO); default today. / 预警判断日期，默认今天。"
WarnAsOf = Annotated[AsOfParam, Query(description=_AS_OF_DOC, examples=["2026-12-01"])]


def _list(store: GraphStore, scope: Scope, as_of: str | None, unit: str | None,
          types: list[str] | None, status: list[str] | None, holder: str | None,
          limit: int, offset: int) -> WarningList:
    return warnings(store, as_of=as_of, unit=unit, types=types, colours=status, holder=holder,
                    limit=limit, offset=offset, scope=scope)


@router.get(
    "/api/warnings", response_model=WarningList, summary="Early-warning list / 三色预警清单",
    description=(
        "Every item of the working loop in the user's scope judged as of `as_of`: duties "
        "with a measurable target (per holder), 廉情抄告 and 督办 awaiting a reply or a "
        "verification, issues and projects with a deadline. Each has a colour (red: "
        "overdue or failed; yellow: behind or due soon; green: on track), the `rule` that "
        "gave it and its progress (`done`/`expected`/`target`). Most urgent first (red, "
        "then most days overdue, then fewest days left); `counts` per type and colour over "
        "every page."),
    responses={**ok("warnings"), **QUERY_ERRORS},
)
async def warning_list(
    request: Request, store: StoreDep, scope: ReadScope, unit: UnitFilter = None,
    types: TypeFilter = None, status: StatusFilter = None, holder: HolderFilter = None,
    as_of: WarnAsOf = None, limit: WarnLimit = 50, offset: OffsetParam = 0,
) -> Response:
    return await cached_json(request, store, scope, WarningList, lambda: _list(
        store, scope, iso(as_of), unit, types, status, holder, limit, offset))


def _filename(stem: str, as_of: str, suffix: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", f"{stem}-{as_of}") + suffix


async def download(store: GraphStore, scope: Scope, lang: Literal["zh", "en"], kind: str,
                   as_of: str | None, unit: str | None, types: list[str] | None,
                   status: list[str] | None, holder: str | None) -> Response:
    """Every item of the list (no paging) as CSV or XLSX."""
    def build() -> tuple[bytes, str]:
        result = _list(store, scope, as_of, unit, types, status, holder, MAX_LIMIT, 0)
        where = result.unit.caption if result.unit else (
            "*" if scope.everything else "、".join(sorted(scope.roots or ())))
        if kind == "csv":
            return to_csv(result.items, lang), result.as_of
        return to_xlsx(result, lang, where), result.as_of

    body, day = await anyio.to_thread.run_sync(build)
    media = "text/csv; charset=utf-8" if kind == "csv" else _XLSX
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{_filename("warnings", day, "." + kind)}"'})


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOWNLOAD_DOC = ("The whole list (every page, at most 10,000 items) with the filters of "
                 "`/api/warnings`, headers in Chinese (English with `lang=en`). / 导出预警清单。")


@router.get("/api/warnings.csv", summary="Early-warning list as CSV / 导出CSV",
            description=_DOWNLOAD_DOC, response_class=Response, responses={
                200: {"content": {"text/csv": {}}, "description": "CSV, UTF-8 with BOM"},
                **QUERY_ERRORS})
async def warning_csv(
    request: Request, store: StoreDep, scope: ReadScope, unit: UnitFilter = None,
    types: TypeFilter = None, status: StatusFilter = None, holder: HolderFilter = None,
    as_of: WarnAsOf = None,
) -> Response:
    return await download(store, scope, api_lang(request), "csv", iso(as_of), unit, types,
                          status, holder)


@router.get("/api/warnings.xlsx", summary="Early-warning list as XLSX / 导出Excel",
            description=_DOWNLOAD_DOC, response_class=Response, responses={
                200: {"content": {_XLSX: {}}, "description": "Excel workbook"},
                **QUERY_ERRORS})
async def warning_xlsx(
    request: Request, store: StoreDep, scope: ReadScope, unit: UnitFilter = None,
    types: TypeFilter = None, status: StatusFilter = None, holder: HolderFilter = None,
    as_of: WarnAsOf = None,
) -> Response:
    return await download(store, scope, api_lang(request), "xlsx", iso(as_of), unit, types,
                          status, holder)


@router.get(
    "/api/status/units/{unit}", response_model=Rollup,
    summary="A unit's items by colour / 单位预警汇总",
    description=("The items belonging to a unit (with `subtree=true`, to it and every unit "
                 "below it) as of `as_of`, counted by colour and type, most urgent first."),
    responses={**ok("rollup"), **QUERY_ERRORS},
)
async def unit_status(
    request: Request, store: StoreDep, scope: ReadScope,
    unit: Annotated[str, Path(description="Unit uid or id. / 单位编号。", examples=["MH"])],
    subtree: Annotated[bool, Query(description="Include every unit below. / 含下级单位。")
                       ] = False,
    as_of: WarnAsOf = None,
) -> Response:
    return await cached_json(request, store, scope, Rollup, lambda: rollup(
        store, uid_for(unit, "Unit"), as_of=iso(as_of), subtree=subtree, scope=scope))


@router.get(
    "/api/status/people/{person}", response_model=Rollup,
    summary="A person's items by colour / 个人预警汇总",
    description=("The items a person must act on as of `as_of` (the duties they hold, what "
                 "was sent to them, the issues they own, the projects they lead), counted "
                 "by colour and type, most urgent first."),
    responses={**ok("rollup"), **QUERY_ERRORS},
)
async def person_status(
    request: Request, store: StoreDep, scope: ReadScope,
    person: Annotated[str, Path(description="Person uid or id. / 人员编号。",
                                examples=["P-MH-03"])],
    as_of: WarnAsOf = None,
) -> Response:
    return await cached_json(request, store, scope, Rollup, lambda: rollup(
        store, uid_for(person, "Person"), as_of=iso(as_of), scope=scope))


@router.get(
    "/api/status/duties/{duty}", response_model=list[WarningItem],
    summary="A duty's progress per holder / 责任履责进度",
    description=("The status of a duty's target for each holder as of `as_of`, read afresh "
                 "(a record written a moment ago counts): colour, rule, records done, "
                 "expected by now and required. Empty for a duty without a target."),
    responses={**ok("duty_progress"), **QUERY_ERRORS},
)
async def duty_status(
    store: StoreDep, scope: ReadScope,
    duty: Annotated[str, Path(description="Duty uid or id. / 责任编号。",
                              examples=["D-MH26-01"])],
    as_of: WarnAsOf = None,
) -> list[WarningItem]:
    return await anyio.to_thread.run_sync(lambda: duty_progress(
        store, uid_for(duty, "Duty"), as_of=iso(as_of), scope=scope))


@router.get(
    "/api/status/timeliness", response_model=list[Timeliness],
    summary="Reply timeliness per leader / 回告及时率",
    description=("Per leader the 廉情抄告 (or, with `kind=order`, the 督办) were sent to: how "
                 "many were replied on time, late, are overdue or pending as of `as_of`, "
                 "and the mean days to reply; most overdue first."),
    responses={**ok("timeliness"), **QUERY_ERRORS},
)
async def reply_timeliness(
    request: Request, store: StoreDep, scope: ReadScope, unit: UnitFilter = None,
    kind: Annotated[Literal["referral", "order"], Query(
        description="referral (廉情抄告) or order (督办).")] = "referral",
    as_of: WarnAsOf = None,
) -> list[Timeliness]:
    return await anyio.to_thread.run_sync(lambda: timeliness(
        store, as_of=iso(as_of), unit=unit, kind=kind, scope=scope))


@router.get(
    "/api/records/{record}/evidence", summary="A record's evidence file / 佐证材料下载",
    description=("The file a fulfilment record carries, as uploaded (checked against the "
                 "SHA-256 the record keeps; a file that no longer matches is not served), "
                 "always as a download."),
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}},
                     "description": "The file as uploaded"}, **QUERY_ERRORS},
)
async def record_evidence(
    store: StoreDep, scope: ReadScope, settings: SettingsDep,
    record: Annotated[str, Path(description="Record uid or id. / 记实编号。")],
) -> Response:
    uid = uid_for(record, "Record")

    def load() -> tuple[str, bytes]:
        row = store.reads.act_context(uid, scope)
        digest = None if row is None else row["node"].get("evidence_sha256")
        if row is None or not digest:
            raise NotFound("Record", uid.partition(":")[2])
        return str(row["node"].get("evidence") or "evidence"), evidence.read(settings.home,
                                                                            str(digest))

    name, data = await anyio.to_thread.run_sync(load)
    from urllib.parse import quote

    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff"})
