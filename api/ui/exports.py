"""Downloads of the table pages: an Excel workbook (one sheet per table, written with
openpyxl) or one table as CSV (UTF-8 with BOM), headers in the page's language (Chinese by
default), the user's scope, the unit, the as-of date, who exported and when in the file.

``/export/{page}.xlsx`` and ``/export/{page}.csv?table=...`` take the page's own parameters
(``unit``, ``person``, ``issue`` or ``case`` for the node a page shows or the unit it is
narrowed to, ``as_of``, ``kind``, ``deducted``) and run the page's queries with the user's
scope, so a file holds exactly what the page shows that user. Downloads need the
``export`` permission (analysts and admins, :mod:`api.security.policy`); the weak-link
tables also need ``analytics``.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.i18n import Translator
from api.security.policy import ExportScope, Forbidden
from api.ui import tables
from api.ui.dashboards import loops_data, weak_data
from api.ui.names import FieldInput, resolve_input
from api.ui.render import form_namer, get_store, page, request_lang
from api.ui.tables import Table
from api.views.cells import csv_cell
from graph.dates import parse_date, today
from graph.errors import InvalidArgument
from graph.messages import N_, Message
from graph.queries.cases import cases_in_subtree
from graph.queries.chain import case_trace, issue_chain
from graph.queries.holders import unit_holders
from graph.queries.loops import MAX_LIMIT
from graph.queries.person import person_profile
from graph.schema import uid_of
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
Text = Annotated[str, Query(max_length=100)]


@dataclass
class Export:
    """What a download holds: the page's title, its unit and date, and its tables."""

    title: str
    unit: str
    as_of: str
    tables: list[Table]
    stem: str


@dataclass
class Params:
    """The page's parameters: its unit filter or the id of the node it shows."""

    unit: str
    person: str
    issue: str
    case: str
    as_of: str
    kind: str
    deducted: bool
    severity: str = ""


Exporter = Callable[[Request, GraphStore, Scope, Params, Translator], Export]


def _required(field: str, value: str) -> str:
    if not value:
        raise InvalidArgument(field, Message("reason.required"))
    return value


def _unit(store: GraphStore, scope: Scope, text: str) -> FieldInput:
    return FieldInput(text, resolve_input(store, text, ("Unit",), scope=scope)) if text.strip() \
        else FieldInput("")


def _loops(request: Request, store: GraphStore, scope: Scope, p: Params,
           t: Translator) -> Export:
    field = _unit(store, scope, p.unit)
    loops = loops_data(store, scope, field, p.as_of, p.kind, limit=MAX_LIMIT)
    return Export(t.text(N_("ui.loops_title")), field.value, loops.as_of,
                  tables.loops_tables(loops, t), f"loops-{field.ref.id if field.ref else 'all'}")


def _weak(request: Request, store: GraphStore, scope: Scope, p: Params, t: Translator) -> Export:
    user = getattr(request.state, "user", None)
    if user is not None and not user.can("analytics"):
        raise Forbidden("analytics")
    field = _unit(store, scope, p.unit)
    findings, health = weak_data(request, store, scope, field, p.deducted, t, p.severity)
    return Export(t.text(N_("ui.weak_title")), field.value, today(),
                  [tables.findings_table(findings, t), tables.health_table(health, t)],
                  f"weak-links-{field.ref.id if field.ref else 'all'}")


def _cases(request: Request, store: GraphStore, scope: Scope, p: Params,
           t: Translator) -> Export:
    from api.ui.cases import LIST_LIMIT

    field = _unit(store, scope, p.unit)
    if field.ref is None:
        raise InvalidArgument("unit", Message("reason.required"))
    cases = cases_in_subtree(store, field.ref.uid, limit=LIST_LIMIT, scope=scope)
    return Export(t.text(N_("ui.cases_title")), field.value, today(), tables.cases_tables(cases, t),
                  f"cases-{field.ref.id}")


def _case(request: Request, store: GraphStore, scope: Scope, p: Params, t: Translator) -> Export:
    trace = case_trace(store, uid_of("Case", _required("case", p.case)), scope=scope)
    unit = trace.unit.unit.caption if trace.unit else ""
    return Export(trace.case.caption, unit, trace.as_of,
                  tables.case_tables(trace, t, form_namer(t.lang)), f"case-{trace.case.id}")


def _issue(request: Request, store: GraphStore, scope: Scope, p: Params,
           t: Translator) -> Export:
    chain = issue_chain(store, uid_of("Issue", _required("issue", p.issue)), scope=scope)
    unit = chain.unit.unit.caption if chain.unit else ""
    return Export(chain.issue.caption, unit, chain.as_of, tables.issue_tables(chain, t),
                  f"issue-{chain.issue.id}")


def _unit_page(request: Request, store: GraphStore, scope: Scope, p: Params,
               t: Translator) -> Export:
    holders = unit_holders(store, uid_of("Unit", _required("unit", p.unit)),
                           as_of=parse_date(p.as_of), up=True, scope=scope)
    u = holders.unit.unit
    return Export(u.caption, u.caption, holders.as_of, tables.unit_tables(holders, t),
                  f"unit-{u.id}")


def _person(request: Request, store: GraphStore, scope: Scope, p: Params,
            t: Translator) -> Export:
    profile = person_profile(store, uid_of("Person", _required("person", p.person)),
                             as_of=parse_date(p.as_of), scope=scope)
    return Export(profile.person.caption, "", profile.as_of,
                  tables.person_tables(profile, t, form_namer(t.lang)),
                  f"person-{profile.person.id}")


EXPORTERS: dict[str, Exporter] = {
    "loops": _loops, "weak-links": _weak, "cases": _cases, "case": _case, "issue": _issue,
    "unit": _unit_page, "person": _person,
}


def scope_text(store: GraphStore, scope: Scope, t: Translator) -> str:
    """The user's scope in words: every unit, or the names of its root units."""
    if scope.everything:
        return t.text(N_("ui.scope_everything"))
    names = sorted((n.caption if (n := store.get_node(uid)) else uid) for uid in scope.roots or ())
    return t.text(N_("punct.list_sep")).join(names) or t.text(N_("ui.none"))


def about_rows(request: Request, store: GraphStore, scope: Scope, export: Export,
               t: Translator) -> list[tuple[str, str]]:
    """(label, value) lines that open every file: what, whose scope, as of when, by whom."""
    user = getattr(request.state, "user", None)
    return [
        (t.text(N_("ui.export_title")), export.title),
        (t.text(N_("ui.export_scope")), scope_text(store, scope, t)),
        (t.text(N_("ui.unit")), export.unit or t.text(N_("ui.all_units"))),
        (t.text(N_("ui.data_as_of")), export.as_of),
        (t.text(N_("ui.exported_by")), user.username if user is not None else ""),
        (t.text(N_("ui.exported_at")), dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        (t.text(N_("ui.export_source")), request.url.path.rsplit(".", 1)[0].replace("/export", "")),
    ]


def csv_bytes(about: list[tuple[str, str]], table: Table) -> bytes:
    """The about lines, an empty line, then the table; BOM for spreadsheet programs."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for label, value in about:
        writer.writerow([csv_cell(label), csv_cell(value)])
    writer.writerow([])
    writer.writerow([csv_cell(h) for h in table.headers])
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_name(title: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", title)[:28] or "Sheet"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def xlsx_bytes(about: list[tuple[str, str]], export: Export, t: Translator) -> bytes:
    """A workbook: an "about" sheet, then one sheet per table (title, scope line, header
    row frozen with a filter, the rows). Text that looks like a formula stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E6E9ED")
    wb = Workbook()
    info = wb.active
    taken: set[str] = set()
    info.title = _sheet_name(t.text(N_("ui.export_about")), taken)
    for label, value in about:
        info.append([label, value])
        info.cell(info.max_row, 1).font = bold
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 60
    scope_line = " · ".join(f"{label}{t.text('punct.colon')}{value}" for label, value in about[1:4])
    for table in export.tables:
        ws = wb.create_sheet(_sheet_name(table.title, taken))
        ws.append([f"{export.title} · {table.title}"])
        ws.cell(1, 1).font = Font(bold=True, size=13)
        ws.append([scope_line])
        ws.append([])
        ws.append(table.headers)
        for col in range(1, len(table.headers) + 1):
            cell = ws.cell(4, col)
            cell.font, cell.fill = bold, head_fill
        for row in table.rows:
            ws.append(row)
            for col, value in enumerate(row, start=1):
                if isinstance(value, str) and value.startswith("="):
                    ws.cell(ws.max_row, col).data_type = "s"  # never a formula
        ws.freeze_panes = "A5"
        if table.rows:
            ws.auto_filter.ref = f"A4:{get_column_letter(len(table.headers))}{ws.max_row}"
        for col, header in enumerate(table.headers, start=1):
            widest = max([_width(header), *(_width(r[col - 1]) for r in table.rows[:500])])
            ws.column_dimensions[get_column_letter(col)].width = min(60, max(8, widest + 2))
            for r in range(5, ws.max_row + 1):
                ws.cell(r, col).alignment = Alignment(vertical="top", wrap_text=widest > 60)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _filename(stem: str, as_of: str, ext: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_") or "table"
    return f"dutygraph-{safe}-{as_of}.{ext}"


def export_table(request: Request, scope: Scope, name: str, fmt: str, params: Params,
                 table: str) -> Response:
    """A table page as XLSX (every table) or CSV (``table``, default the first)."""
    store = get_store(request)
    t = Translator(request_lang(request))
    export = EXPORTERS[name](request, store, scope, params, t)
    about = about_rows(request, store, scope, export, t)
    if fmt == "xlsx":
        body, media = xlsx_bytes(about, export, t), XLSX
        filename = _filename(export.stem, export.as_of, "xlsx")
    else:
        chosen = next((x for x in export.tables if x.key == table), None) if table \
            else export.tables[0]
        if chosen is None:
            raise InvalidArgument("table", Message(
                "reason.one_of", expected=", ".join(x.key for x in export.tables)))
        body, media = csv_bytes(about, chosen), CSV
        filename = _filename(f"{export.stem}-{chosen.key}", export.as_of, "csv")
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


#: The parameters each page's downloads take (besides ``table``): its unit filter or the
#: node it shows, and its own filters.
PAGE_PARAMS: dict[str, tuple[str, ...]] = {
    "loops": ("unit", "as_of", "kind"), "weak-links": ("unit", "deducted", "severity"),
    "cases": ("unit",), "case": ("case",), "issue": ("issue",), "unit": ("unit", "as_of"),
    "person": ("person", "as_of"),
}
_PARAM_TYPES: dict[str, tuple[Any, Any]] = {
    "unit": (Text, ""), "person": (Text, ""), "issue": (Text, ""), "case": (Text, ""),
    "as_of": (Annotated[str, Query(max_length=10)], ""),
    "kind": (Annotated[str, Query(max_length=40)], ""), "deducted": (bool, False),
    "severity": (Annotated[str, Query(max_length=10)], ""),
    "table": (Annotated[str, Query(max_length=40)], ""),
}


def _register(name: str, fmt: str) -> None:
    # One route per page and format, with exactly the page's parameters, so an id given to
    # a download is always one it uses (and checked against the user's scope).
    fields = (*PAGE_PARAMS[name], "table")

    def download(request: Request, scope: Scope, **values: Any) -> Response:
        given = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
        params = Params(unit=given.get("unit", ""), person=given.get("person", ""),
                        issue=given.get("issue", ""), case=given.get("case", ""),
                        as_of=given.get("as_of", ""), kind=given.get("kind", ""),
                        deducted=bool(given.get("deducted", False)),
                        severity=given.get("severity", ""))
        return export_table(request, scope, name, fmt, params, given.get("table", ""))

    download.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter("scope", inspect.Parameter.KEYWORD_ONLY, annotation=ExportScope),
        *(inspect.Parameter(f, inspect.Parameter.KEYWORD_ONLY, annotation=_PARAM_TYPES[f][0],
                            default=_PARAM_TYPES[f][1]) for f in fields),
    ])
    download.__name__ = f"export_{name.replace('-', '_')}_{fmt}"
    router.add_api_route(f"/export/{name}.{fmt}", page(download), methods=["GET"],
                         response_class=Response, name=download.__name__)


for _name in EXPORTERS:
    for _fmt in ("xlsx", "csv"):
        _register(_name, _fmt)
