"""The input tables of DESIGN.md §3 as the sample builder and the generator write them.

One declaration per table: its English name, its Chinese sheet name, and its columns in
order, each with the Chinese header alias and, for enum columns, the schema enum that gives
the Chinese label. The readers in :mod:`loaders` accept exactly these names; keeping the
writer's view in one place means the CSV files, the workbook and the synthetic data cannot
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    #: Schema enum whose Chinese label the workbook writes (None: not an enum).
    enum: str | None = None
    #: Date column: the workbook writes it in mixed Chinese forms.
    date: bool = False
    #: Multi-valued column (ids separated by ``;`` in CSV, ``、`` in the workbook).
    multi: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def header_zh(self) -> list[str]:
        return [c.zh for c in self.columns]


def _c(name: str, zh: str, enum: str | None = None, *, date: bool = False,
       multi: bool = False) -> Column:
    return Column(name, zh, enum, date, multi)


TABLES: tuple[Table, ...] = (
    Table("units", "单位", (
        _c("id", "编号"), _c("name", "名称"), _c("kind", "类型", "unit_kind"),
        _c("level", "层级"), _c("parent_id", "上级单位"), _c("code", "机构代码"),
    )),
    Table("people", "人员", (_c("id", "编号"), _c("name", "姓名"), _c("title", "职务"))),
    Table("posts", "任职", (
        _c("person_id", "人员编号"), _c("unit_id", "单位编号"), _c("role", "角色", "post_role"),
        _c("start", "起始日期", date=True), _c("end", "终止日期", date=True),
    )),
    Table("portfolios", "分管", (
        _c("person_id", "人员编号"), _c("unit_id", "单位编号"), _c("portfolio", "分管领域"),
        _c("start", "起始日期", date=True), _c("end", "终止日期", date=True),
    )),
    Table("supervision", "监督关系", (
        _c("supervisor_id", "监督单位"), _c("unit_id", "被监督单位"),
        _c("mode", "方式", "supervision_mode"),
    )),
    Table("duties", "责任清单", (
        _c("id", "编号"), _c("title", "内容"), _c("responsibility", "责任类型", "responsibility"),
        _c("holder_id", "责任主体"), _c("list", "清单", "duty_list"), _c("aspect", "方面"),
        _c("indicator", "量化指标"), _c("year", "年度"), _c("parent_id", "上级责任"),
        _c("derived_from", "来源问题"),
    )),
    Table("issues", "问题清单", (
        _c("id", "编号"), _c("title", "问题"), _c("unit_id", "所在单位"),
        _c("source", "来源", "issue_source"), _c("inspection_id", "发现检查"),
        _c("owner_id", "领衔人"), _c("duty_id", "关联责任"), _c("category", "类别"),
        _c("severity", "严重程度", "severity"), _c("found_on", "发现日期", date=True),
        _c("deadline", "整改时限", date=True), _c("status", "状态", "issue_status"),
        _c("follows_case", "案后治理案件"), _c("decision_id", "涉及决策"),
    )),
    Table("projects", "项目清单", (
        _c("id", "编号"), _c("title", "项目"), _c("issue_id", "针对问题"),
        _c("leader_id", "牵头人"), _c("goal", "目标"), _c("measures", "举措"),
        _c("deadline", "完成时限", date=True), _c("status", "状态", "project_status"),
        _c("completed_on", "完成日期", date=True), _c("follows_case", "案后治理案件"),
    )),
    Table("inspections", "检查", (
        _c("id", "编号"), _c("name", "名称"), _c("kind", "类型", "inspection_kind"),
        _c("conducted_by", "组织单位", multi=True), _c("covers", "覆盖单位", multi=True),
        _c("round", "轮次"), _c("started_on", "开始日期", date=True),
        _c("ended_on", "结束日期", date=True), _c("focus", "检查重点"),
    )),
    Table("cases", "案件", (
        _c("id", "编号"), _c("title", "案件"), _c("unit_id", "发生单位"),
        _c("category", "违纪类型"),
        _c("subject_ids", "涉案人员", multi=True), _c("issue_id", "线索来源"),
        _c("occurred_on", "发生日期", date=True), _c("opened_on", "立案日期", date=True),
        _c("closed_on", "结案日期", date=True),
        _c("responsible_ids", "直接责任人", multi=True),
        _c("supervision_review", "监督责任倒查", "link_review"),
    )),
    Table("accountability", "问责", (
        _c("id", "编号"), _c("title", "问责事项"), _c("case_id", "案件编号"),
        _c("target_id", "问责对象"), _c("category", "责任类型", "accountability_category"),
        _c("measure", "问责方式", "accountability_measure"), _c("form", "形态"),
        _c("decided_by", "决定单位"), _c("decided_on", "决定日期", date=True),
    )),
    Table("referrals", "廉情抄告", (
        _c("id", "编号"), _c("title", "抄告事项"), _c("issued_by", "抄告单位"),
        _c("sent_to", "抄告对象"), _c("issue_id", "问题编号"),
        _c("issued_on", "抄告日期", date=True),
        _c("due_on", "回告期限", date=True), _c("replied_on", "回告日期", date=True),
        _c("status", "状态", "referral_status"), _c("reply", "回告内容"),
        _c("replied_by", "回告人"), _c("verified_on", "核实日期", date=True),
        _c("verification", "核实意见"), _c("returned_on", "退回日期", date=True),
    )),
    Table("records", "履责记实", (
        _c("id", "编号"), _c("title", "记实"), _c("kind", "记实类型", "record_kind"),
        _c("action", "事项", "record_action"), _c("actor_id", "履责主体"),
        _c("duty_id", "对应责任"), _c("target_id", "对象"), _c("on", "日期", date=True),
        _c("summary", "摘要"),
    )),
    Table("assessments", "考核评议", (
        _c("id", "编号"), _c("name", "名称"), _c("organised_by", "组织单位"),
        _c("year", "年度"), _c("period_start", "考核期起", date=True),
        _c("period_end", "考核期止", date=True), _c("scheme", "考核方案"),
    )),
    Table("assessment_results", "考核结果", (
        _c("id", "编号"), _c("title", "结果名称"), _c("assessment_id", "所属考核"),
        _c("assessed_id", "考核对象"), _c("assessed_by", "评议主体"),
        _c("method", "考核方式", "assessment_method"), _c("assessed_on", "考核日期", date=True),
        _c("score", "总分"), _c("grade", "等次", "assessment_grade"),
        _c("use", "结果运用", "result_use"), _c("comment", "评语"),
    )),
    Table("assessment_scores", "指标得分", (
        _c("result_id", "考核结果编号"), _c("duty_id", "考核指标"), _c("score", "得分"),
    )),
    Table("risk_points", "廉政风险点", (
        _c("id", "编号"), _c("title", "风险点"), _c("unit_id", "所在单位"),
        _c("layer", "层级", "risk_layer"), _c("post", "岗位或流程"),
        _c("level", "风险等级", "risk_level"), _c("identified_on", "识别日期", date=True),
    )),
    Table("controls", "防控措施", (
        _c("id", "编号"), _c("title", "防控措施"), _c("risk_id", "风险点编号"),
        _c("owner_id", "责任人"), _c("frequency", "检查频次", "control_frequency"),
        _c("status", "状态", "control_status"), _c("established_on", "建立日期", date=True),
        _c("last_checked", "最近检查日期", date=True),
    )),
    Table("decisions", "三重一大", (
        _c("id", "编号"), _c("title", "决策事项"), _c("unit_id", "决策单位"),
        _c("kind", "事项类别", "decision_kind"), _c("amount", "金额（元）"),
        _c("decided_on", "决策日期", date=True), _c("meeting", "决策会议"),
        _c("mode", "集体决策", "decision_mode"),
    )),
    Table("orders", "督办", (
        _c("id", "编号"), _c("title", "督办事项"), _c("issued_by", "督办单位"),
        _c("sent_to", "督办对象"), _c("about_id", "督办所涉"),
        _c("issued_on", "督办日期", date=True), _c("due_on", "办理时限", date=True),
        _c("status", "状态", "order_status"), _c("finding", "关联发现"),
        _c("request", "督办要求"), _c("reply", "回复内容"), _c("replied_by", "回复人"),
        _c("replied_on", "回复日期", date=True), _c("verification", "核实意见"),
        _c("verified_on", "核实日期", date=True), _c("reopened_on", "退回日期", date=True),
    )),
)

TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

#: Separator of multi-valued cells in the CSV form (the workbook uses ``、``).
CSV_MULTI_SEP = ";"
