"""The breaks and repaired twins of the mechanism's findings (assessment, coverage channels,
listed findings, risk points, 三重一大), each an edit of :meth:`World.healthy` (as of
2024-06-30: town T under district D, village V under T, T's secretary ``t_sec``)."""

from __future__ import annotations

from collections.abc import Callable

from tests.graph.analytics.world import World

Edit = Callable[[World], None]


def _round(w: World) -> str:
    if "assessment:AS1" not in w.nodes:
        w.rel("ORGANISED_BY", w.node("Assessment", "AS1", name="东区述职检查测评", year=2020),
              "unit:D")
    return "assessment:AS1"


def _result(w: World, rid: str, subject: str, by: str, method: str, on: str,
            **props: object) -> str:
    r = w.node("AssessmentResult", rid, title=f"考核结果{rid}", method=method, assessed_on=on,
               **props)
    w.rel("RESULT_OF", r, _round(w))
    w.rel("ASSESSES", r, subject)
    w.rel("ASSESSED_BY", r, by)
    return r


def _rotation(onsite_in_2022: bool) -> Edit:
    """T in D's rotation since 2020; on site in 2022 (twin) or by written report only."""
    def edit(w: World) -> None:
        for year in (2020, 2021, 2022, 2023):
            method = ("onsite_check" if onsite_in_2022 and year == 2022 else "written_report")
            _result(w, f"AR{year}", "unit:T", "unit:D", method, f"{year}-12-10", score=90,
                    grade="excellent")
    return edit


def _low_grade(use: str | None) -> Edit:
    """V graded poor by the district's evaluation on 2024-03-15 (after every record about
    V or its secretary), its use recorded (twin) or not."""
    def edit(w: World) -> None:
        _result(w, "ARV", "unit:V", "unit:D", "superior", "2024-03-15", score=55,
                grade="poor", use=use)
    return edit


def _evaluation(mass_score: float) -> Edit:
    """T's secretary evaluated in one round by the district (92) and by the masses."""
    def edit(w: World) -> None:
        _result(w, "ARS", "person:t_sec", "unit:D", "superior", "2024-01-15", score=92)
        _result(w, "ARM", "person:t_sec", "unit:T", "mass", "2024-01-15", score=mass_score)
    return edit


def _risk(controlled: bool) -> Edit:
    """A high-level decision-layer risk point of T, with an active control checked in May
    (twin) or none."""
    def edit(w: World) -> None:
        p = w.node("RiskPoint", "RP1", title="工程项目决策未经集体研究", layer="decision",
                   level="high", identified_on="2023-01-01")
        w.rel("RISK_IN", p, "unit:T")
        if controlled:
            c = w.node("Control", "CT1", title="党委会前置研究", frequency="each_time",
                       status="active", established_on="2023-01-01", last_checked="2024-05-01")
            w.rel("CONTROLS", c, p)
            w.rel("OWNED_BY", c, "person:t_sec")
    return edit


def _decision(mode: str) -> Edit:
    """T's 20万元 project of 2024-03-01, decided collectively (twin) or not."""
    def edit(w: World) -> None:
        d = w.node("Decision", "DC1", title="村道改造项目", kind="major_project",
                   amount=200000, decided_on="2024-03-01", mode=mode)
        w.rel("TAKEN_BY", d, "unit:T")
    return edit


def _finding(listed: bool) -> Edit:
    """An issue the 2022 inspection found in T, rectified and never turned into a duty
    (the twin lists it: a duty of T derived from it)."""
    def edit(w: World) -> None:
        i = w.node("Issue", "IF1", title="巡察发现：一岗双责落实不到位", source="inspection",
                   severity="medium", found_on="2022-04-15", status="rectified")
        w.rel("FOUND", "inspection:I1", i)
        w.rel("FOUND_IN", i, "unit:T")
        if listed:
            d = w.node("Duty", "DUF", title="班子成员一岗双责清单", responsibility="dual",
                       list="responsibility", year=2022)
            w.rel("HOLDS", "unit:T", d)
            w.rel("DERIVED_FROM", d, i)
    return edit


def _second_town(supervised: bool) -> Edit:
    """A second town under D that no inspection covers; the district commission supervises
    it (twin: the 监察 channel covers it) or nobody does."""
    def edit(w: World) -> None:
        t2 = w.unit("T2", "西镇党委", "street_town", 2, "unit:D")
        if supervised:
            w.rel("SUPERVISES", "unit:DJ", t2, mode="same_level")
    return edit


MECHANISM_BREAKS: dict[str, tuple[Edit, Edit]] = {
    "V_OUTSIDE_ALL_CHANNELS": (_second_town(False), _second_town(True)),
    "V_FINDING_NOT_LISTED": (_finding(False), _finding(True)),
    "V_NO_ONSITE_ASSESSMENT": (_rotation(False), _rotation(True)),
    "V_LOW_GRADE_NO_FOLLOW_UP": (_low_grade(None), _low_grade("talk")),
    "H_EVALUATION_DIVERGENT": (_evaluation(70), _evaluation(85)),
    "H_RISK_UNCONTROLLED": (_risk(False), _risk(True)),
    "H_DECISION_NOT_COLLECTIVE": (_decision("individual"), _decision("collective")),
}
