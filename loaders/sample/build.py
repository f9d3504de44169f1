"""Build the shipped sample data: ``python -m loaders.sample.build``.

The sample is declared in Python (:mod:`loaders.sample.city`, ``jiading``, ``pilots``,
``mechanism``) and written twice, to the same graph:

* ``csv/<table>.csv`` -- English headers, English codes, ISO dates, ``;`` between ids;
* ``dutygraph-sample.xlsx`` -- one sheet per table named in Chinese, Chinese headers and
  enum labels, a title row above the header on the list sheets, dates in mixed Chinese forms
  (``2017年3月1日``, ``2017/3/1``, real Excel dates) and ``、`` between ids: what users' own
  workbooks look like.

Both outputs are byte-for-byte deterministic (fixed workbook timestamps and zip entry
dates), so a test can check that the committed files are what this script produces.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from graph.schema import SCHEMA
from loaders.sample.city import add_city, add_city_links
from loaders.sample.dataset import Dataset, Row
from loaders.sample.jiading import add_jiading
from loaders.sample.loop import add_orders
from loaders.sample.mechanism import add_mechanism
from loaders.sample.pilots import add_jwdw, add_minhang, add_sipg
from loaders.sample.tables import CSV_MULTI_SEP, TABLES, Table

HERE = Path(__file__).resolve().parent
CSV_DIR = HERE / "csv"
XLSX_PATH = HERE / "dutygraph-sample.xlsx"
#: Fixed timestamp of the workbook (document properties and zip entries).
STAMP = dt.datetime(2018, 5, 1, 9, 0, 0)
_ISO_STAMP = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

#: Title rows above the header, as Chinese workbooks often have them.
SHEET_TITLES = {
    "issues": "嘉定区等试点单位问题清单（2016—2026年）",
    "duties": "“四责协同”责任清单（2017—2018年度）",
    "projects": "问题整改项目清单",
    "accountability": "问责情况统计表",
}

# Reference columns and the node kinds they may name, for the build-time check.
_REFS: dict[tuple[str, str], tuple[str, ...]] = {
    ("units", "parent_id"): ("units",), ("posts", "person_id"): ("people",),
    ("posts", "unit_id"): ("units",), ("portfolios", "person_id"): ("people",),
    ("portfolios", "unit_id"): ("units",), ("supervision", "supervisor_id"): ("units",),
    ("supervision", "unit_id"): ("units",), ("duties", "holder_id"): ("units", "people"),
    ("duties", "parent_id"): ("duties",), ("issues", "unit_id"): ("units",),
    ("issues", "inspection_id"): ("inspections",), ("issues", "owner_id"): ("people",),
    ("issues", "duty_id"): ("duties",), ("issues", "follows_case"): ("cases",),
    ("projects", "follows_case"): ("cases",), ("cases", "responsible_ids"): ("people",),
    ("projects", "issue_id"): ("issues",),
    ("projects", "leader_id"): ("people",), ("inspections", "conducted_by"): ("units",),
    ("inspections", "covers"): ("units",), ("cases", "unit_id"): ("units",),
    ("cases", "subject_ids"): ("people",), ("cases", "issue_id"): ("issues",),
    ("accountability", "case_id"): ("cases",), ("accountability", "target_id"): ("units", "people"),
    ("accountability", "decided_by"): ("units",), ("referrals", "issued_by"): ("units",),
    ("referrals", "sent_to"): ("people",), ("referrals", "issue_id"): ("issues",),
    ("records", "actor_id"): ("units", "people"), ("records", "duty_id"): ("duties",),
    ("records", "target_id"): ("units", "people"),
    ("duties", "derived_from"): ("issues",), ("issues", "decision_id"): ("decisions",),
    ("assessments", "organised_by"): ("units",),
    ("assessment_results", "assessment_id"): ("assessments",),
    ("assessment_results", "assessed_id"): ("units", "people"),
    ("assessment_results", "assessed_by"): ("units", "people"),
    ("assessment_scores", "result_id"): ("assessment_results",),
    ("assessment_scores", "duty_id"): ("duties",),
    ("risk_points", "unit_id"): ("units",), ("controls", "risk_id"): ("risk_points",),
    ("controls", "owner_id"): ("units", "people"), ("decisions", "unit_id"): ("units",),
    ("referrals", "replied_by"): ("people",), ("orders", "issued_by"): ("units",),
    ("orders", "sent_to"): ("units", "people"), ("orders", "replied_by"): ("people",),
    ("orders", "about_id"): ("issues", "referrals", "duties", "projects"),
}


def build_dataset() -> Dataset:
    """The whole sample as rows (canonical values)."""
    ds = Dataset()
    team = add_city(ds)
    add_jiading(ds)
    add_minhang(ds)
    add_jwdw(ds)
    add_sipg(ds)
    add_city_links(ds, team)
    add_mechanism(ds)
    add_orders(ds)
    check(ds)
    return ds


def check(ds: Dataset) -> None:
    """Raise ValueError for a dangling reference, a bad enum code or a malformed date."""
    ids = {t: {str(r["id"]) for r in rows} for t, rows in ds.rows.items()
           if rows and "id" in rows[0]}
    for table in TABLES:
        for n, row in enumerate(ds.rows[table.name], start=2):
            for col in table.columns:
                value = row.get(col.name)
                if value in (None, "", []):
                    continue
                where = f"{table.name} row {n} column {col.name}"
                kinds = _REFS.get((table.name, col.name))
                for v in value if isinstance(value, list) else [value]:
                    if kinds and not any(str(v) in ids.get(k, set()) for k in kinds):
                        raise ValueError(f"{where}: {v!r} names no {'/'.join(kinds)}")
                    if col.enum and SCHEMA.enum(col.enum).parse(str(v)) != v:
                        raise ValueError(f"{where}: {v!r} is not a code of {col.enum}")
                    if col.date:
                        dt.date.fromisoformat(str(v))


# -- CSV ----------------------------------------------------------------------------------
def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return CSV_MULTI_SEP.join(str(v) for v in value)
    return str(value)


def write_csv(ds: Dataset, out: Path = CSV_DIR) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in TABLES:
        path = out / f"{table.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(table.header)
            for row in ds.rows[table.name]:
                w.writerow([_csv_cell(row.get(c)) for c in table.header])
        paths.append(path)
    return paths


# -- XLSX ---------------------------------------------------------------------------------
def _zh_date(iso: str, n: int) -> str | dt.date:
    """Rotate the date forms people type: 2017年3月1日, 2017/3/1, a real Excel date."""
    d = dt.date.fromisoformat(iso)
    form = n % 3
    if form == 0:
        return f"{d.year}年{d.month}月{d.day}日"
    if form == 1:
        return f"{d.year}/{d.month}/{d.day}"
    return d


def _zh_cell(table: Table, name: str, value: Any, n: int) -> Any:
    if value is None:
        return None
    col = next(c for c in table.columns if c.name == name)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if col.enum:
        label = SCHEMA.enum(col.enum).label(str(value))
        # People write the short forms too; both must parse to the same code.
        if col.enum == "responsibility" and value == "first" and n % 2:
            return "第一责任"
        return label
    if col.date:
        return _zh_date(str(value), n)
    return value


def write_xlsx(ds: Dataset, path: Path = XLSX_PATH) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for table in TABLES:
        ws = wb.create_sheet(table.zh)
        if table.name in SHEET_TITLES:
            ws.append([SHEET_TITLES[table.name]])
        ws.append(table.header_zh)
        for n, row in enumerate(ds.rows[table.name]):
            ws.append([_zh_cell(table, c, row.get(c), n) for c in table.header])
    wb.properties.creator = "DutyGraph sample builder"
    wb.properties.created = STAMP
    wb.properties.modified = STAMP
    buf = io.BytesIO()
    wb.save(buf)
    _rezip_deterministic(buf.getvalue(), path)
    return path


def _rezip_deterministic(data: bytes, path: Path) -> None:
    """Rewrite the archive with fixed entry dates so the bytes depend on content only."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the time of saving; pin it.
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + _ISO_STAMP, body)
            dst.writestr(entry, body)
    path.write_bytes(out.getvalue())


def summary(rows: dict[str, list[Row]]) -> str:
    return ", ".join(f"{t}={len(r)}" for t, r in rows.items())


def main() -> None:
    ds = build_dataset()
    write_csv(ds)
    write_xlsx(ds)
    print(f"sample written to {HERE}: {summary(ds.rows)}")


if __name__ == "__main__":
    main()
