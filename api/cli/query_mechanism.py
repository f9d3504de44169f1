"""``dutygraph query assessments | rotation | trends | coverage | risks | controls | decisions``.

Assessment (考核评议) histories, the rotation and its check, score trends, coverage by
channel (巡察, 派驻, 监察), risk points with their controls, a person's controls and the
三重一大 register. Windows, thresholds and channels are the analytics configuration's
(``DUTYGRAPH_ANALYTICS_*``, docs/analytics.md), so a table and the finding it explains
read the same rule. Rich tables in the CLI's language; the query's JSON with ``--json``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from api.cli import output as out
from api.cli.common import cli_store
from api.cli.text import say
from graph.analytics.config import load_config
from graph.queries.assessment import assessment_history, rotation, score_trends
from graph.queries.coverage import coverage
from graph.queries.prevention import decision_register, owned_controls, risk_register

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD (default today).")]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", help="A unit id or uid: its subtree.")]
SubtreeOpt = Annotated[bool, typer.Option("--subtree", help="Also every unit below it.")]
#: Channel codes as the CLI names them (the catalogue's, as on the coverage page).
CHANNELS = {"inspection": "ui.channel_inspection", "stationed": "ui.channel_stationed",
            "supervision": "ui.channel_supervision"}


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _yuan(value: float | None) -> str:
    if value is None:
        return "—"
    amount = format(value, ",.0f")
    return say("ui.amount_yuan", amount=amount)


def _channel(code: str) -> str:
    return say(CHANNELS[code]) if code in CHANNELS else escape(code)


def assessments_cmd(
    subject: Annotated[str, typer.Argument(help="A unit or person: id or uid.")],
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Assessment results (考核评议) of a unit or person, newest first, and a unit's place
    in the on-site rotation."""
    with cli_store() as store:
        result = assessment_history(store, subject, as_of=as_of, config=load_config())
    if out.emit(result, as_json):
        return
    console = out.console()
    t = out.table(say("cli.assessments_title", subject=escape(result.subject.caption),
                      date=result.as_of),
                  (say("cli.col_date"), say("cli.col_round"), say("cli.col_method"),
                   say("cli.col_score"), say("cli.col_grade"), say("cli.col_use"),
                   say("cli.col_indicators")))
    for i in result.items:
        t.add_row(out.text(i.assessed_on), out.ref(i.assessment),
                  out.enum("assessment_method", i.method), _number(i.score),
                  out.enum("assessment_grade", i.grade), out.enum("result_use", i.use),
                  str(len(i.indicators)))
    out.show(console, t)
    r = result.rotation
    if r is not None and r.in_rotation:
        console.print(say("ui.rotation_state", last=r.last_onsite or say("ui.never"),
                          by=r.onsite_by or "—"))
        if r.due:
            console.print("[red]" + say("ui.onsite_due") + "[/red]")


def rotation_cmd(unit: UnitOpt, as_of: AsOfOpt = None, as_json: JsonOpt = False) -> None:
    """The 述职检查测评 rotation below a unit: forms per year (教卫: a third each) and the
    units not assessed on site within the configured years."""
    with cli_store() as store:
        result = rotation(store, unit, as_of=as_of, config=load_config())
    if out.emit(result, as_json):
        return
    console = out.console()
    t = out.table(say("cli.rotation_title", unit=escape(result.unit.caption), date=result.as_of),
                  (say("cli.col_year"), say("ui.units_assessed"), say("cli.col_methods")))
    for y in result.years:
        shares = ", ".join(f"{out.enum('assessment_method', m.method)} {m.count} "
                           f"({m.share:.0%})" for m in y.methods)
        t.add_row(str(y.year), str(y.units), shares)
    out.show(console, t)
    console.print(say("ui.rotation_rule", years=result.window_years))
    for u in result.units:
        if u.due:
            console.print("[red]" + say("ui.onsite_due") + "[/red] " + out.ref(u.unit) + " "
                          + say("ui.last_onsite", date=u.last_onsite or say("ui.never")))
    if not result.due and result.units:
        console.print("[green]" + say("ui.rotation_ok") + "[/green]")


def trends_cmd(
    unit: UnitOpt,
    as_of: AsOfOpt = None,
    method: Annotated[str | None, typer.Option("--method", help="Only this method code.")] = None,
    subjects: Annotated[str | None, typer.Option("--subjects",
                                                 help="Only 'unit' or only 'person'.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Overall assessment scores per year in a unit's subtree (mean, lowest, highest)."""
    with cli_store() as store:
        result = score_trends(store, unit, as_of=as_of, method=method, subjects=subjects)
    if out.emit(result, as_json):
        return
    t = out.table(say("cli.trends_title", unit=escape(result.unit.caption), date=result.as_of),
                  (say("cli.col_year"), say("ui.results"), say("ui.mean_score"),
                   say("ui.min_score"), say("ui.max_score"), say("cli.col_grade")))
    for y in result.years:
        grades = ", ".join(f"{out.enum('assessment_grade', g)} {n}" for g, n in y.grades.items())
        t.add_row(str(y.year), str(y.results), _number(y.mean), _number(y.min), _number(y.max),
                  grades or "—")
    out.show(out.console(), t)


def coverage_cmd(
    unit: Annotated[str | None, typer.Option("--unit", "-u",
                                             help="A unit id or uid: its subtree.")] = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Coverage by channel (巡察, 派驻监督, 监察) as of a date and per term, and the units
    left out."""
    with cli_store() as store:
        result = coverage(store, unit, as_of=as_of, config=load_config())
    if out.emit(result, as_json):
        return
    console = out.console()
    scope = escape(result.unit.caption) if result.unit else say("cli.all")
    t = out.table(say("cli.coverage_title", scope=scope, date=result.as_of),
                  (say("ui.channel"), say("ui.applicable"), say("ui.covered"), say("ui.percent")))
    for c in result.channels:
        t.add_row(_channel(c.channel), str(c.applicable), str(c.covered),
                  "—" if c.percent is None else f"{c.percent:.1f}%")
    out.show(console, t)
    terms = out.table(say("ui.coverage_terms"),
                      (say("ui.term"), *(_channel(c.channel) for c in result.channels)))
    for term in result.terms:
        terms.add_row(f"{term.start[:4]}–{term.end[:4]}",
                      *("—" if c.percent is None else f"{c.percent:.1f}% ({c.covered}/"
                        f"{c.applicable})" for c in term.channels))
    out.show(console, terms)
    console.print(say("ui.outside_all_n", n=result.outside_all))
    for x in result.uncovered:
        if x.outside_all:
            console.print("[red]" + say("ui.outside_all") + "[/red] " + out.ref(x.unit))


def risks_cmd(
    unit: Annotated[str, typer.Argument(help="Unit id or uid.")],
    subtree: SubtreeOpt = False,
    layer: Annotated[str | None, typer.Option("--layer", help="decision, management or "
                                                              "operation.")] = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Risk points (廉政风险点) by layer with their controls; the uncontrolled ones listed."""
    with cli_store() as store:
        result = risk_register(store, unit, subtree=subtree, layer=layer, as_of=as_of,
                               config=load_config())
    if out.emit(result, as_json):
        return
    console = out.console()
    t = out.table(say("cli.risks_title", unit=escape(result.unit.caption), date=result.as_of),
                  (say("cli.col_layer"), say("ui.risk_points"), say("cli.col_levels"),
                   say("cli.col_controls"), say("ui.controls_checked"), say("ui.uncontrolled")))
    for lay in result.by_layer:
        levels = ", ".join(f"{out.enum('risk_level', k)} {n}" for k, n in lay.levels.items())
        t.add_row(out.enum("risk_layer", lay.layer), str(lay.points), levels or "—",
                  str(lay.controls), str(lay.checked), str(lay.uncontrolled))
    out.show(console, t)
    for p in result.points:
        if p.uncontrolled:
            console.print("[red]" + say("ui.uncontrolled") + "[/red] " + out.ref(p.point)
                          + " · " + out.ref(p.unit))


def controls_cmd(
    person: Annotated[str, typer.Argument(help="Person id or uid.")],
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The control measures a person owns."""
    with cli_store() as store:
        result = owned_controls(store, person, as_of=as_of, config=load_config())
    if out.emit(result, as_json):
        return
    t = out.table(say("cli.controls_title", person=escape(result.person.caption),
                      date=result.as_of),
                  (say("cli.col_control"), say("cli.col_risk"), say("cli.col_layer"),
                   say("cli.col_frequency"), say("cli.col_last_checked"), say("cli.col_status")))
    for o in result.items:
        c = o.control
        state = (say("ui.control_inactive") if not c.active else
                 say("ui.control_unchecked") if not c.checked else say("ui.control_checked"))
        t.add_row(out.ref(c.control), out.ref(o.point), out.enum("risk_layer", o.layer),
                  out.enum("control_frequency", c.frequency), out.text(c.last_checked), state)
    out.show(out.console(), t)


def decisions_cmd(
    unit: Annotated[str, typer.Argument(help="Unit id or uid.")],
    subtree: SubtreeOpt = False,
    kind: Annotated[str | None, typer.Option("--kind", help="major_decision, appointment, "
                                                            "major_project or large_fund.")] = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The 三重一大 decisions with the threshold rule applied (上港: 10万元); the ones taken
    without a collective decision first."""
    with cli_store() as store:
        result = decision_register(store, unit, subtree=subtree, kind=kind, as_of=as_of,
                                   config=load_config())
    if out.emit(result, as_json):
        return
    console = out.console()
    kinds = ", ".join(out.enum("decision_kind", k) for k in result.rule_kinds)
    console.print(say("ui.decision_rule", amount=_yuan(result.default_threshold), kinds=kinds))
    t = out.table(say("cli.decisions_title", unit=escape(result.unit.caption), date=result.as_of),
                  (say("cli.col_kind"), say("ui.decisions"), say("ui.needs_collective"),
                   say("ui.collective"), say("ui.breaks_rule")))
    for k in result.by_kind:
        t.add_row(out.enum("decision_kind", k.kind), str(k.decisions), str(k.needs_collective),
                  str(k.collective), str(k.breaks_rule))
    out.show(console, t)
    items = out.table(say("ui.decisions"),
                      (say("cli.col_date"), say("cli.col_item"), say("cli.col_unit"),
                       say("cli.col_kind"), say("cli.col_amount"), say("cli.col_status")))
    for d in sorted(result.items, key=lambda d: not d.breaks_rule):
        state = ("[red]" + say("ui.breaks_rule") + "[/red]" if d.breaks_rule else
                 say("ui.collective") if d.collective else out.enum("decision_mode", d.mode))
        items.add_row(out.text(d.decided_on), out.ref(d.decision), out.ref(d.unit),
                      out.enum("decision_kind", d.kind), _yuan(d.amount), state)
    out.show(console, items)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (the ``query`` group)."""
    app.command("assessments")(assessments_cmd)
    app.command("rotation")(rotation_cmd)
    app.command("trends")(trends_cmd)
    app.command("coverage")(coverage_cmd)
    app.command("risks")(risks_cmd)
    app.command("controls")(controls_cmd)
    app.command("decisions")(decisions_cmd)
