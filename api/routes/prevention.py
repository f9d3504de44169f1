"""Risk prevention (廉政风险防控: risk points by layer and their controls, a person's
controls) and the 三重一大 decision register with its threshold rule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AsOfParam, StoreDep, iso, one_of
from api.errors import QUERY_ERRORS
from api.routes.analytics import ConfigDep
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.prevention import decision_register, owned_controls, risk_register
from graph.queries.prevention_models import DecisionRegister, OwnedControls, RiskRegister
from graph.schema import SCHEMA

router = APIRouter(tags=["prevention"])

UnitPath = Annotated[str, Path(description="Unit uid or id. / 单位编号。",
                               examples=["unit:SIPG"])]
Subtree = Annotated[bool, Query(description="Also every unit below it. / 含下级单位。")]


@router.get(
    "/api/units/{unit}/risks",
    response_model=RiskRegister,
    summary="Risk points and controls / 廉政风险点与防控措施",
    description=(
        "The unit's risk points (with `subtree`: of its subtree too) identified by `as_of`, "
        "by layer — 决策层 `decision`, 管理层 `management`, 操作层 `operation` — each with "
        "its controls: owner, frequency, status, last check, in force and checked within the "
        "configured window; `uncontrolled` marks the points without a working control "
        "(H_RISK_UNCONTROLLED). Example: 上港集团 with `subtree=true` shows its three-level "
        "prevention network (a sample of its 16,000 control measures)."
    ),
    responses={**ok("risk_register"), **QUERY_ERRORS},
)
async def risks(
    request: Request, store: StoreDep, scope: ReadScope, config: ConfigDep, unit: UnitPath,
    subtree: Subtree = False,
    layer: Annotated[Annotated[str, one_of(SCHEMA.enum("risk_layer").codes)] | None,
                     Query(description="Only this layer. / 层级。")] = None,
    as_of: AsOfParam = None,
) -> Response:
    return await cached_json(request, store, scope, RiskRegister,
                             lambda: risk_register(store, unit, subtree=subtree, layer=layer,
                                                   as_of=iso(as_of), config=config,
                                                   scope=scope))


@router.get(
    "/api/people/{person}/controls",
    response_model=OwnedControls,
    summary="A person's control measures / 人员负责的防控措施",
    description="The control measures the person owns, with their risk points and units.",
    responses={**ok("owned_controls"), **QUERY_ERRORS},
)
async def controls(
    request: Request, store: StoreDep, scope: ReadScope, config: ConfigDep,
    person: Annotated[str, Path(description="Person uid or id. / 人员编号。",
                                examples=["person:P-SIPG-C02-01"])],
    as_of: AsOfParam = None,
) -> Response:
    return await cached_json(request, store, scope, OwnedControls,
                             lambda: owned_controls(store, person, as_of=iso(as_of), config=config,
                                                    scope=scope))


@router.get(
    "/api/units/{unit}/decisions",
    response_model=DecisionRegister,
    summary="三重一大 decisions / 三重一大决策事项",
    description=(
        "The unit's 三重一大 decisions (with `subtree`: of its subtree too) dated by `as_of`, "
        "newest first: kind (重大决策, 重要人事任免, 重大项目安排, 大额资金使用), amount, "
        "meeting, whether collective; the threshold that applies (configured per unit, "
        "default 100,000 yuan: 上港's 10万 rule), whether the decision needed a collective "
        "decision and `breaks_rule` when it had none (H_DECISION_NOT_COLLECTIVE)."
    ),
    responses={**ok("decision_register"), **QUERY_ERRORS},
)
async def decisions(
    request: Request, store: StoreDep, scope: ReadScope, config: ConfigDep, unit: UnitPath,
    subtree: Subtree = False,
    kind: Annotated[Annotated[str, one_of(SCHEMA.enum("decision_kind").codes)] | None,
                    Query(description="Only this kind. / 事项类别。")] = None,
    as_of: AsOfParam = None,
) -> Response:
    return await cached_json(request, store, scope, DecisionRegister,
                             lambda: decision_register(store, unit, subtree=subtree, kind=kind,
                                                       as_of=iso(as_of), config=config,
                                                       scope=scope))
