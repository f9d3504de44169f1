"""The input tables of DESIGN.md §3, declared as data and derived from the schema.

A value column *is* a schema property: its type, enum, required flag, range and Chinese
header (the property's ``zh`` label) come from :mod:`graph.schema`; this module only adds
the extra header aliases people write. A reference column names the node kinds it may point
at and the relationship it yields, and which end of that relationship the referenced node
is. Tables of relationships only (posts, portfolios, supervision, assessment_scores) have
two reference columns (the two ends) and the relationship's properties.

Derived titles. Accountability, Referral, Record and AssessmentResult have a required
``title`` in the schema but their tables need no title column (an optional one overrides
the rule):

* Accountability: ``<measure> · <target>``, e.g. ``诫勉 · 张某某``;
* Referral: ``廉情抄告 · <sent_to> · <issued_on>``;
* Record: the summary's first sentence (at most 30 characters), else
  ``<action or kind> · <target or actor>``;
* AssessmentResult: ``<assessed> · <method> · <year assessed>``, e.g.
  ``申江大学党委 · 实地检查 · 2018``;
* SupervisionOrder (督办): ``督办 · <sent_to> · <issued_on>``.

``<target>`` etc. is the referenced node's name (from this load or the graph), else its id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from graph.schema import SCHEMA, Property

End = Literal["src", "dst"]


@dataclass(frozen=True)
class Ref:
    """A reference column: which kinds it may name, the relationship, the referenced end."""

    labels: tuple[str, ...]
    rel: str
    #: The end of ``rel`` the referenced node takes; the row's own node takes the other.
    end: End = "dst"


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    aliases: tuple[str, ...] = ()
    prop: Property | None = None
    ref: Ref | None = None
    required: bool = False
    multi: bool = False

    @property
    def is_id(self) -> bool:
        return self.prop is None and self.ref is None

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]
    #: The node label each row creates, or None for tables of relationships only.
    node: str | None = None
    #: For tables of relationships only: the relationship each row creates.
    rel: str | None = None
    aliases: tuple[str, ...] = ()
    #: Rule for the title when no title is given (see the module docstring).
    derived_title: bool = False

    @cached_property
    def value_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.prop is not None)

    @cached_property
    def ref_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.ref is not None)

    @cached_property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.value_columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @cached_property
    def header_lookup(self) -> dict[str, Column]:
        """Normalised header text -> column (English name, Chinese label, aliases)."""
        out: dict[str, Column] = {}
        for c in self.columns:
            for h in c.headers:
                out[norm_header(h)] = c
        return out

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)


def norm_header(text: str) -> str:
    """Headers compare without case, spaces, full-width brackets, ``*`` marks or notes.

    >>> norm_header(" 名称（必填）* "), norm_header("Parent_ID")
    ('名称', 'parent_id')
    """
    t = text.strip().lower().replace("\u3000", "").replace(" ", "").replace("*", "")
    t = t.replace("（", "(").replace("）", ")")
    # "名称(必填)" / "日期(yyyy-mm-dd)": a parenthesised note after the header.
    return re.sub(r"\(.*\)$", "", t) or t


# -- declaration helpers ----------------------------------------------------------------
def _id(*aliases: str) -> Column:
    return Column("id", "编号", ("id号", "编码", *aliases), required=True)


def _p(label: str, name: str, *aliases: str, required: bool | None = None) -> Column:
    """A value column for node property ``label.name``, typed by the schema."""
    p = SCHEMA.node(label).prop(name)
    return Column(name, p.zh, aliases, prop=p,
                  required=p.required if required is None else required)


def _rp(rel: str, name: str, *aliases: str) -> Column:
    """A value column for relationship property ``rel.name``."""
    p = SCHEMA.rel(rel).prop(name)
    return Column(name, p.zh, aliases, prop=p, required=p.required)


def _ref(
    name: str, zh: str, labels: tuple[str, ...], rel: str, *aliases: str,
    end: End = "dst", required: bool = False, multi: bool = False,
) -> Column:
    return Column(name, zh, aliases, ref=Ref(labels, rel, end), required=required, multi=multi)


_UP = ("Unit", "Person")

TABLES: tuple[Table, ...] = (
    Table("units", "单位", (
        _id("单位编号"),
        _p("Unit", "name", "单位名称", "名字"),
        _p("Unit", "kind", "单位类型", "类别"),
        _p("Unit", "level", "级别"),
        _ref("parent_id", "上级单位", ("Unit",), "SUBORDINATE_TO", "上级单位编号", "上级"),
        _p("Unit", "code", "组织机构代码", "统一社会信用代码"),
    ), node="Unit", aliases=("单位表", "unit", "组织")),
    Table("people", "人员", (
        _id("人员编号"),
        _p("Person", "name", "名字", "人员姓名"),
        _p("Person", "title", "职位"),
    ), node="Person", aliases=("人员表", "person", "persons")),
    Table("posts", "任职", (
        _ref("person_id", "人员编号", ("Person",), "SERVES_IN", "人员",
             end="src", required=True),
        _ref("unit_id", "单位编号", ("Unit",), "SERVES_IN", "单位", "任职单位", required=True),
        _rp("SERVES_IN", "role", "职务角色", "职务", "身份"),
        _rp("SERVES_IN", "start", "开始日期", "任职日期"),
        _rp("SERVES_IN", "end", "结束日期", "离任日期"),
    ), rel="SERVES_IN", aliases=("任职表", "post")),
    Table("portfolios", "分管", (
        _ref("person_id", "人员编号", ("Person",), "IN_CHARGE_OF", "人员", "分管领导",
             end="src", required=True),
        _ref("unit_id", "单位编号", ("Unit",), "IN_CHARGE_OF", "单位", "分管单位", required=True),
        _rp("IN_CHARGE_OF", "portfolio", "分管工作", "领域"),
        _rp("IN_CHARGE_OF", "start", "开始日期"),
        _rp("IN_CHARGE_OF", "end", "结束日期"),
    ), rel="IN_CHARGE_OF", aliases=("分管表", "分管领域", "portfolio")),
    Table("supervision", "监督关系", (
        _ref("supervisor_id", "监督单位", ("Unit",), "SUPERVISES", "监督单位编号", "监督机构",
             end="src", required=True),
        _ref("unit_id", "被监督单位", ("Unit",), "SUPERVISES", "被监督单位编号", required=True),
        _rp("SUPERVISES", "mode", "监督方式"),
    ), rel="SUPERVISES", aliases=("监督", "supervisions")),
    Table("duties", "责任清单", (
        _id("责任编号"),
        _p("Duty", "title", "责任内容", "具体内容", "标题", "事项"),
        _p("Duty", "responsibility", "责任", "四责"),
        _ref("holder_id", "责任主体", _UP, "HOLDS", "责任主体编号", "承担主体", end="src"),
        _p("Duty", "list", "清单类型", "所属清单"),
        _p("Duty", "aspect", "责任方面"),
        _p("Duty", "indicator", "指标", "量化要求"),
        _p("Duty", "year", "年份"),
        _ref("parent_id", "上级责任", ("Duty",), "CASCADES_TO", "上级责任编号", end="src"),
        _ref("derived_from", "来源问题", ("Issue",), "DERIVED_FROM", "来源问题编号",
             "巡察发现问题", "对应问题"),
        # The measurable target; parsed from the indicator when not given (loaders/targets).
        _p("Duty", "target_kind", "指标形式"),
        _p("Duty", "target", "目标次数", "目标"),
        _p("Duty", "period", "周期"),
        _p("Duty", "due_on", "完成期限", "时限"),
        _p("Duty", "counted_actions", "计入履责事项"),
    ), node="Duty", aliases=("责任", "duty", "任务清单", "制度清单")),
    Table("issues", "问题清单", (
        _id("问题编号"),
        _p("Issue", "title", "问题描述", "问题内容", "标题"),
        _ref("unit_id", "所在单位", ("Unit",), "FOUND_IN", "单位编号", "问题单位"),
        _p("Issue", "source", "问题来源"),
        _ref("inspection_id", "发现检查", ("Inspection",), "FOUND", "检查编号", end="src"),
        _ref("owner_id", "领衔人", ("Person",), "ASSIGNED_TO", "责任人", "领衔领导"),
        _ref("duty_id", "关联责任", ("Duty",), "BREACHES", "责任编号"),
        _p("Issue", "category", "问题类别", "问题类型"),
        _p("Issue", "severity", "严重性"),
        _p("Issue", "found_on", "发现时间"),
        _p("Issue", "deadline", "整改期限", "整改时间"),
        _p("Issue", "status", "整改状态"),
        _p("Issue", "rectified_on", "整改完成时间", "销号日期"),
        _ref("follows_case", "案后治理案件", ("Case",), "FOLLOWS_CASE", "以案促改案件",
             "对应案件", "针对案件"),
        _ref("decision_id", "涉及决策", ("Decision",), "ABOUT_DECISION", "决策事项编号",
             "三重一大事项"),
    ), node="Issue", aliases=("问题", "issue")),
    Table("projects", "项目清单", (
        _id("项目编号"),
        _p("Project", "title", "项目名称", "标题"),
        _ref("issue_id", "针对问题", ("Issue",), "ADDRESSES", "问题编号"),
        _ref("leader_id", "牵头人", ("Person",), "LED_BY", "牵头领导", "负责人"),
        _p("Project", "goal", "工作目标"),
        _p("Project", "measures", "工作举措", "措施"),
        _p("Project", "deadline", "完成期限", "时限"),
        _p("Project", "status", "项目状态", "进度"),
        _p("Project", "completed_on", "完成时间"),
        _ref("follows_case", "案后治理案件", ("Case",), "FOLLOWS_CASE", "以案促改案件",
             "对应案件", "针对案件"),
    ), node="Project", aliases=("项目", "project")),
    Table("inspections", "检查", (
        _id("检查编号"),
        _p("Inspection", "name", "检查名称"),
        _p("Inspection", "kind", "检查类型", "方式"),
        _ref("conducted_by", "组织单位", ("Unit",), "CONDUCTED_BY", "组织实施单位", "实施单位",
             "联合组织单位", multi=True),
        _ref("covers", "覆盖单位", ("Unit",), "COVERS", "被检查单位", "检查对象", multi=True),
        _p("Inspection", "round", "批次", "轮"),
        _p("Inspection", "started_on", "开始时间"),
        _p("Inspection", "ended_on", "结束时间"),
        _p("Inspection", "focus", "巡察重点", "检查内容", "重点"),
    ), node="Inspection", aliases=("巡视巡察", "巡察", "检查表", "inspection")),
    Table("cases", "案件", (
        _id("案件编号"),
        _p("Case", "title", "案件名称", "案由", "标题"),
        _ref("unit_id", "发生单位", ("Unit",), "OCCURRED_IN", "单位编号", "所在单位"),
        _p("Case", "category", "案件类别", "违纪违法类型"),
        _ref("subject_ids", "涉案人员", ("Person",), "INVOLVES", "涉案人员编号", "被审查人",
             multi=True),
        _ref("issue_id", "线索来源", ("Issue",), "ORIGINATED_FROM", "问题编号"),
        _p("Case", "occurred_on", "发生时间"),
        _p("Case", "opened_on", "立案时间"),
        _p("Case", "closed_on", "结案时间"),
        _ref("responsible_ids", "直接责任人", ("Person",), "NAMES_RESPONSIBLE", "直接责任人员",
             "认定直接责任人", multi=True),
        _p("Case", "supervision_review", "监督责任倒查结论"),
    ), node="Case", aliases=("案件表", "case")),
    Table("accountability", "问责", (
        _id("问责编号"),
        _p("Accountability", "title", "问责事项", "标题", required=False),
        _ref("case_id", "案件编号", ("Case",), "FOR_CASE", "所涉案件"),
        _ref("target_id", "问责对象", _UP, "TARGETS", "被问责对象", "问责对象编号",
             required=True),
        _p("Accountability", "category", "问责类型", "责任类别"),
        _p("Accountability", "measure", "问责措施", "处理方式"),
        _p("Accountability", "form", "四种形态", "运用形态"),
        _ref("decided_by", "决定单位", ("Unit",), "DECIDED_BY", "问责决定单位", "问责单位"),
        _p("Accountability", "decided_on", "问责日期", "决定时间"),
    ), node="Accountability", aliases=("问责情况", "问责表", "accountabilities"),
        derived_title=True),
    Table("referrals", "廉情抄告", (
        _id("抄告编号"),
        _p("Referral", "title", "抄告事项", "标题", required=False),
        _ref("issued_by", "抄告单位", ("Unit",), "ISSUED_BY", "抄告机构"),
        _ref("sent_to", "抄告对象", ("Person",), "SENT_TO", "抄告领导", "接收人"),
        _ref("issue_id", "问题编号", ("Issue",), "ABOUT", "抄告问题", "涉及问题"),
        _p("Referral", "issued_on", "抄告时间"),
        _p("Referral", "due_on", "回告时限", "期限"),
        _p("Referral", "replied_on", "回告时间"),
        _p("Referral", "status", "回告状态"),
        _p("Referral", "reply", "回告情况"),
        _ref("replied_by", "回告人", ("Person",), "REPLIED_BY", "回告领导"),
        _p("Referral", "verified_on", "核实时间"),
        _p("Referral", "verification", "核实情况"),
        _p("Referral", "returned_on", "退回时间"),
    ), node="Referral", aliases=("抄告", "referral"), derived_title=True),
    Table("records", "履责记实", (
        _id("记实编号"),
        _p("Record", "title", "记实", "标题", required=False),
        _p("Record", "kind", "类型"),
        _p("Record", "action", "履责事项", "事项类型"),
        _ref("actor_id", "履责主体", _UP, "BY", "履责人", "主体"),
        _ref("duty_id", "对应责任", ("Duty",), "FULFILS", "责任编号", "关联责任"),
        _ref("target_id", "对象", _UP, "CONCERNS", "履责对象", "谈话对象"),
        _p("Record", "on", "记实日期", "时间"),
        _p("Record", "summary", "内容摘要", "内容"),
        _p("Record", "evidence", "佐证材料文件", "附件"),
        _p("Record", "evidence_sha256", "附件校验值"),
    ), node="Record", aliases=("记实", "失责记实", "履责记录", "record"), derived_title=True),
    Table("assessments", "考核评议", (
        _id("考核编号"),
        _p("Assessment", "name", "考核名称", "考核评议名称"),
        _ref("organised_by", "组织单位", ("Unit",), "ORGANISED_BY", "考核单位", "组织考核单位"),
        _p("Assessment", "year", "考核年度", "年份"),
        _p("Assessment", "period_start", "考核期开始", "开始日期"),
        _p("Assessment", "period_end", "考核期结束", "结束日期"),
        _p("Assessment", "scheme", "考核办法", "考核指标体系"),
    ), node="Assessment", aliases=("考核", "考核评议表", "述职评议", "assessment")),
    Table("assessment_results", "考核结果", (
        _id("结果编号"),
        _p("AssessmentResult", "title", "标题", required=False),
        _ref("assessment_id", "所属考核", ("Assessment",), "RESULT_OF", "考核编号",
             "考核评议编号"),
        _ref("assessed_id", "考核对象", _UP, "ASSESSES", "被考核对象", "被考核单位",
             "考核对象编号", required=True),
        _ref("assessed_by", "评议主体", _UP, "ASSESSED_BY", "考核主体", "评议单位"),
        _p("AssessmentResult", "method", "考核形式", "评议方式"),
        _p("AssessmentResult", "assessed_on", "考核时间", "评议日期"),
        _p("AssessmentResult", "score", "得分", "综合得分", "总得分"),
        _p("AssessmentResult", "grade", "考核等次", "评价等次", "等级"),
        _p("AssessmentResult", "use", "结果应用", "运用"),
        _p("AssessmentResult", "comment", "点评", "反馈意见"),
    ), node="AssessmentResult", aliases=("考核结果表", "评议结果", "assessment_result"),
        derived_title=True),
    Table("assessment_scores", "指标得分", (
        _ref("result_id", "考核结果编号", ("AssessmentResult",), "SCORES", "结果编号",
             "考核结果", end="src", required=True),
        _ref("duty_id", "考核指标", ("Duty",), "SCORES", "指标编号", "责任编号",
             required=True),
        _rp("SCORES", "score", "指标得分", "分值"),
    ), rel="SCORES", aliases=("考核指标得分", "分项得分", "assessment_score")),
    Table("risk_points", "廉政风险点", (
        _id("风险点编号"),
        _p("RiskPoint", "title", "风险点名称", "风险描述", "标题"),
        _ref("unit_id", "所在单位", ("Unit",), "RISK_IN", "单位编号", "风险单位"),
        _p("RiskPoint", "layer", "风险层级", "所属层级"),
        _p("RiskPoint", "post", "岗位", "流程", "所在岗位"),
        _p("RiskPoint", "level", "等级", "风险级别"),
        _p("RiskPoint", "identified_on", "识别时间", "排查日期"),
    ), node="RiskPoint", aliases=("风险点", "风险点表", "risk_point")),
    Table("controls", "防控措施", (
        _id("措施编号"),
        _p("Control", "title", "措施内容", "防控措施内容", "标题"),
        _ref("risk_id", "风险点编号", ("RiskPoint",), "CONTROLS", "对应风险点", "风险点"),
        _ref("owner_id", "责任人", _UP, "OWNED_BY", "责任主体", "措施责任人"),
        _p("Control", "frequency", "频次", "检查周期"),
        _p("Control", "status", "措施状态", "运行状态"),
        _p("Control", "established_on", "建立时间", "制定日期"),
        _p("Control", "last_checked", "最近检查", "上次检查日期"),
    ), node="Control", aliases=("防控措施表", "措施", "control")),
    Table("decisions", "三重一大", (
        _id("事项编号"),
        _p("Decision", "title", "事项名称", "议题", "标题"),
        _ref("unit_id", "决策单位", ("Unit",), "TAKEN_BY", "单位编号", "决策主体"),
        _p("Decision", "kind", "类别", "事项类型"),
        _p("Decision", "amount", "金额", "涉及金额", "金额元"),
        _p("Decision", "decided_on", "决策时间", "会议日期"),
        _p("Decision", "meeting", "会议", "决策会议名称"),
        _p("Decision", "mode", "是否集体决策", "决策方式"),
    ), node="Decision", aliases=("三重一大事项", "三重一大决策", "决策事项", "decision")),
    Table("orders", "督办", (
        _id("督办编号"),
        _p("SupervisionOrder", "title", "督办事项名称", "标题", required=False),
        _ref("issued_by", "督办单位", ("Unit",), "ORDERED_BY", "督办机构", "发起单位"),
        _ref("sent_to", "督办对象", _UP, "ORDERED_TO", "承办对象", "承办单位"),
        _ref("about_id", "督办所涉", ("Issue", "Referral", "Duty", "Project"), "FOLLOWS_UP",
             "关联事项", "督办内容编号"),
        _p("SupervisionOrder", "issued_on", "督办时间", "下达日期"),
        _p("SupervisionOrder", "due_on", "办理期限", "回复时限"),
        _p("SupervisionOrder", "status", "办理状态"),
        _p("SupervisionOrder", "finding", "发现编码"),
        _p("SupervisionOrder", "request", "督办内容"),
        _p("SupervisionOrder", "reply", "办理情况"),
        _ref("replied_by", "回复人", ("Person",), "REPLIED_BY", "回复领导"),
        _p("SupervisionOrder", "replied_on", "回复时间"),
        _p("SupervisionOrder", "verification", "核实情况"),
        _p("SupervisionOrder", "verified_on", "核实时间"),
        _p("SupervisionOrder", "reopened_on", "退回时间"),
    ), node="SupervisionOrder", aliases=("督办单", "督办事项", "supervision_orders", "order"),
        derived_title=True),
)

_BY_NAME: dict[str, Table] = {}
for _t in TABLES:
    for _n in _t.names:
        _BY_NAME[norm_header(_n)] = _t


def table_named(text: str) -> Table | None:
    """The table a file stem or sheet name stands for (English or Chinese), else None.

    An exact name wins; otherwise the longest table name the text ends with, so that
    ``嘉定区问题清单`` or ``2017-units`` are understood.

    >>> table_named("单位").name, table_named("嘉定区问题清单").name, table_named("说明")
    ('units', 'issues', None)
    """
    key = norm_header(text)
    if key in _BY_NAME:
        return _BY_NAME[key]
    best: tuple[int, Table] | None = None
    for name, table in _BY_NAME.items():
        if len(name) >= 2 and key.endswith(name) and (best is None or len(name) > best[0]):
            best = (len(name), table)
    return best[1] if best else None


def table(name: str) -> Table:
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)
