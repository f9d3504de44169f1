"""Coordination analytics over HTTP: weak-link findings (filterable by unit subtree, code,
severity and axis, paginated), health scores per unit and the roll-up per subtree.

An analysis reads the whole graph (seconds at district scale), so its report is kept per
(date, unit, user scope, configuration) in the store's derived values until the data
changes (:func:`graph.analytics.report.cached_report`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from api.deps import AsOfParam, LimitParam, OffsetParam, StoreDep, iso, one_of
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.policy import ANALYTICS, AnalyticsScope
from graph.analytics import CODES, AnalyticsConfig, Finding, load_config
from graph.analytics.health import SubtreeHealth, UnitHealth
from graph.analytics.report import Report, cached_report
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.common import as_of_or_today

router = APIRouter(prefix="/api/analytics", tags=["analytics"])

def get_config(request: Request) -> AnalyticsConfig:
    """The analytics configuration of the app (read once, then kept in the app's state)."""
    cfg: AnalyticsConfig | None = getattr(request.app.state, "analytics_config", None)
    if cfg is None:
        cfg = request.app.state.analytics_config = load_config()
    return cfg


ConfigDep = Annotated[AnalyticsConfig, Depends(get_config)]
UnitScope = Annotated[str | None, Query(
    description="Only this unit and every unit below it (uid or id). / 限定单位及其下级。",
    examples=["unit:MH"])]


def codes_dep(
    code: Annotated[list[Annotated[str, one_of(CODES)]] | None, Query(
        description="Only these codes (repeat). / 类型。", examples=[["V_REFERRAL_OPEN"]])] = None,
) -> list[str] | None:
    """The finding codes asked for, checked before any analysis runs."""
    if code:
        unknown = sorted(set(code) - set(CODES))
        if unknown:
            raise InvalidArgument("code", Message("reason.unknown_codes", codes=unknown))
    return code


def report_dep(store: StoreDep, config: ConfigDep, scope: AnalyticsScope,
               unit: UnitScope = None, as_of: AsOfParam = None) -> Report:
    """The (cached) analysis of what the user may see (the unit's subtree when given) as
    of the date."""
    return cached_report(store, as_of=as_of_or_today(iso(as_of)), unit=unit, config=config,
                         scope=scope)


ReportDep = Annotated[Report, Depends(report_dep)]


# -- models ------------------------------------------------------------------------------
class CodeDoc(BaseModel):
    code: str
    axis: str
    zh: str
    en: str


class FindingsPage(BaseModel):
    """A page of findings, most severe first; counts cover every page of the filter."""

    as_of: str
    scope: str | None
    scope_caption: str | None
    total: int
    counts: dict[str, int] = Field(description="Matching findings per code.")
    severity_counts: dict[str, int]
    limit: int
    offset: int
    items: list[Finding]


class HealthPage(BaseModel):
    """Units weakest first, with the findings that lowered each score."""

    as_of: str
    scope: str | None
    total: int
    limit: int
    offset: int
    items: list[UnitHealth]


class RollupPage(BaseModel):
    """Subtrees weakest first: minimum and mean score, and their weakest units."""

    as_of: str
    scope: str | None
    total: int
    limit: int
    offset: int
    items: list[SubtreeHealth]


class Summary(BaseModel):
    as_of: str
    scope: str | None
    scope_caption: str | None
    counts: dict[str, int]
    severity_counts: dict[str, int]
    units: int
    mean_score: float | None
    weakest: list[UnitHealth] = Field(description="The five weakest units.")
    metrics: dict[str, Any]
    config: dict[str, Any]


# -- routes ------------------------------------------------------------------------------
@router.get(
    "/codes",
    response_model=list[CodeDoc],
    summary="Finding codes / 薄弱环节类型",
    description="Every finding code with its axis and its meaning in Chinese and English.",
    responses=ok("analytics_codes"),
    dependencies=[ANALYTICS],
)
def codes() -> list[CodeDoc]:
    return [CodeDoc(code=c.code, axis=c.axis, zh=c.zh, en=c.en) for c in CODES.values()]


@router.get(
    "/findings",
    response_model=FindingsPage,
    summary="Weak-link findings / 薄弱环节",
    description=(
        "Findings of the coordination analysis (vertical, horizontal, structural) for the "
        "subtree of `unit` as of `as_of`, filtered by `code`, `severity` and `axis`; most "
        "severe first, then by code and ids (stable). Each has the ids it concerns, the "
        "evidence and an explanation in Chinese and English. Codes: "
        + ", ".join(f"`{c}`" for c in CODES) + "."
    ),
    responses={**ok("analytics_findings"), **QUERY_ERRORS},
)
def findings(
    code: Annotated[list[str] | None, Depends(codes_dep)],
    report: ReportDep,
    severity: Annotated[list[Literal["high", "medium", "low"]] | None, Query(
        description="Only these severities (repeat). / 严重程度。")] = None,
    axis: Annotated[Literal["vertical", "horizontal", "structural"] | None, Query(
        description="Only this axis. / 纵向、横向或结构。")] = None,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
) -> FindingsPage:
    chosen = [f for f in report.findings
              if (not code or f.code in code) and (not severity or f.severity in severity)
              and (axis is None or f.axis == axis)]
    counts: dict[str, int] = {}
    sev = {"high": 0, "medium": 0, "low": 0}
    for f in chosen:
        counts[f.code] = counts.get(f.code, 0) + 1
        sev[f.severity] += 1
    return FindingsPage(as_of=report.as_of, scope=report.scope,
                        scope_caption=report.scope_caption, total=len(chosen), counts=counts,
                        severity_counts=sev, limit=limit, offset=offset,
                        items=chosen[offset:offset + limit])


@router.get(
    "/health",
    response_model=HealthPage,
    summary="Health score per unit / 单位健康度",
    description=(
        "Every unit in the scope with its score (0–100) and the findings that lowered it, "
        "weakest first (then by level and uid)."
    ),
    responses={**ok("analytics_health"), **QUERY_ERRORS},
)
def health(report: ReportDep, limit: LimitParam = 50, offset: OffsetParam = 0) -> HealthPage:
    return HealthPage(as_of=report.as_of, scope=report.scope, total=len(report.health),
                      limit=limit, offset=offset, items=report.health[offset:offset + limit])


@router.get(
    "/rollup",
    response_model=RollupPage,
    summary="Health roll-up per subtree / 分级汇总",
    description="For every unit with units below it: the minimum and mean score of its "
    "subtree and its weakest units, weakest subtree first.",
    responses={**ok("analytics_rollup"), **QUERY_ERRORS},
)
def rollup(report: ReportDep, limit: LimitParam = 50, offset: OffsetParam = 0) -> RollupPage:
    return RollupPage(as_of=report.as_of, scope=report.scope, total=len(report.rollup),
                      limit=limit, offset=offset, items=report.rollup[offset:offset + limit])


@router.get(
    "/summary",
    response_model=Summary,
    summary="Analysis summary / 分析概要",
    description="Counts per code and severity, the five weakest units, network metrics "
    "(bridges, articulation points, betweenness method) and the configuration used.",
    responses={**ok("analytics_summary"), **QUERY_ERRORS},
)
def summary(report: ReportDep) -> Summary:
    scores = [h.score for h in report.health]
    return Summary(
        as_of=report.as_of, scope=report.scope, scope_caption=report.scope_caption,
        counts=report.counts, severity_counts=report.severity_counts, units=len(scores),
        mean_score=round(sum(scores) / len(scores), 2) if scores else None,
        weakest=report.health[:5], metrics=report.metrics, config=report.config)
