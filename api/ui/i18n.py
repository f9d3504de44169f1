"""Every string the inspectors' pages show, in Chinese and English, in one catalogue.

Chinese is the default; English is chosen with ``?lang=en`` (remembered in a cookie) or by
the cookie alone. Names of node kinds, relationship kinds, properties and enum values are
*not* repeated here: they come from :mod:`graph.schema`, which declares them once.

>>> Translator("en")("search")
'Search'
>>> Translator("zh").enum("responsibility", "dual")
'一岗双责'
>>> Translator("en").kind("Unit")
'unit'
"""

from __future__ import annotations

from typing import Any, Literal

from graph.errors import SchemaError
from graph.schema import SCHEMA

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
#: Cookie that remembers the chosen language for a year.
LANG_COOKIE = "dg_lang"

# key: (中文, English). Keys are short English phrases so templates stay readable.
CATALOGUE: dict[str, tuple[str, str]] = {
    # -- layout ---------------------------------------------------------------------
    "app_name": ("责任图谱", "DutyGraph"),
    "app_tagline": ("四责协同 · 责任关系查询", "Four responsibilities in concert · who holds what"),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "search": ("搜索", "Search"),
    "search_placeholder": ("输入单位、人员、问题或案件名称",
                           "Name of a unit, person, issue or case"),
    "search_label": ("搜索单位、人员、问题、案件", "Search units, people, issues, cases"),
    "suggestions": ("搜索建议", "Suggestions"),
    "switch_lang": ("English", "中文"),
    "switch_lang_title": ("Switch to English", "切换到中文"),
    "nav_home": ("首页", "Home"),
    "nav_loops": ("未闭环事项", "Open loops"),
    "nav_weak": ("薄弱环节", "Weak links"),
    "nav_graph": ("关系图", "Graph"),
    "nav_api": ("接口文档", "API docs"),
    "footer": ("数据仅供纪检监察工作使用", "For discipline inspection work only"),
    # -- home -----------------------------------------------------------------------
    "home_title": ("责任关系查询", "Responsibility lookup"),
    "home_intro": (
        "输入名称查找单位、人员、问题或案件，查看谁承担哪一项责任、责任链条与协同薄弱环节。",
        "Type a name to find a unit, person, issue or case and see who holds which "
        "responsibility, the chain above it and where coordination is weak.",
    ),
    "pilot_units": ("试点单位", "Pilot units"),
    "dashboards": ("工作台", "Dashboards"),
    "dash_loops_desc": ("逾期未回告的抄告、无人领衔或无项目的问题、逾期项目",
                        "Referrals past due, issues with no owner or project, projects overdue"),
    "dash_weak_desc": ("横向、纵向协同与结构上的薄弱环节及健康度",
                       "Weak links in horizontal, vertical and structural coordination"),
    "dash_graph_desc": ("以关系图查看任一节点的周边与路径",
                        "See any node's neighbourhood and paths as a graph"),
    "graph_counts": ("图中共有 {nodes} 个节点、{rels} 条关系",
                     "{nodes} nodes, {rels} relationships"),
    "four_resp": ("四责", "The four responsibilities"),
    # -- search ---------------------------------------------------------------------
    "search_results": ("搜索结果", "Search results"),
    "results_for": ("“{q}”的搜索结果：{n} 条", "{n} results for “{q}”"),
    "nothing_found": ("没有找到与“{q}”相关的结果。", "Nothing found for “{q}”."),
    "nothing_found_hint": (
        "请检查输入，或尝试更短的关键词（如“嘉定”）、单位简称或人员姓名。",
        "Check the spelling or try a shorter word (e.g. “嘉定”), a unit's short name or a "
        "person's name.",
    ),
    "enter_query": ("请输入要搜索的名称。", "Type a name to search for."),
    "filter_kind": ("类型", "Kind"),
    "all_kinds": ("全部类型", "All kinds"),
    "score": ("相关度", "Score"),
    # -- common -----------------------------------------------------------------------
    "id": ("编号", "ID"),
    "name": ("名称", "Name"),
    "kind": ("类型", "Kind"),
    "level": ("层级", "Level"),
    "role": ("角色", "Role"),
    "start": ("起始", "From"),
    "end": ("终止", "To"),
    "now": ("至今", "present"),
    "current": ("现任", "current"),
    "former": ("曾任", "former"),
    "none": ("无", "none"),
    "unknown": ("未知", "unknown"),
    "count": ("数量", "Count"),
    "total": ("合计", "Total"),
    "date": ("日期", "Date"),
    "status": ("状态", "Status"),
    "details": ("详情", "Details"),
    "open_page": ("打开", "Open"),
    "view_graph": ("在关系图中查看", "View in graph"),
    "as_of": ("截至日期", "As of"),
    "as_of_apply": ("查看", "Show"),
    "as_of_today": ("今天", "Today"),
    "as_of_note": ("按 {date} 的任职与分管情况显示", "Posts and portfolios as of {date}"),
    "properties": ("属性", "Properties"),
    "relationships": ("关系", "Relationships"),
    "direction_out": ("→", "→"),
    "direction_in": ("←", "←"),
    "sort_hint": ("点击表头排序", "Click a column heading to sort"),
    "sorted_asc": ("升序", "ascending"),
    "sorted_desc": ("降序", "descending"),
    "subtree": ("范围（单位及下级）", "Scope (unit and below)"),
    "all_units": ("全部单位", "All units"),
    "apply": ("筛选", "Apply"),
    "unit_id_placeholder": ("单位编号，如 JD", "unit id, e.g. JD"),
    "more_items": ("另有 {n} 项未显示", "{n} more not shown"),
    "loading": ("加载中…", "Loading…"),
    # -- unit page --------------------------------------------------------------------
    "unit": ("单位", "Unit"),
    "four_holders": ("四责主体", "The four holders"),
    "committee": ("党委（党组）", "Party committee"),
    "committee_resp": ("主体责任", "primary responsibility"),
    "secretary": ("书记", "Secretary"),
    "secretary_resp": ("第一责任人责任", "first responsibility"),
    "team": ("班子成员", "Team members"),
    "team_resp": ("一岗双责", "one post, dual responsibilities"),
    "supervisors": ("监督主体（纪委监委/派驻机构）", "Supervising discipline bodies"),
    "supervisors_resp": ("监督责任", "supervisory responsibility"),
    "in_charge_of": ("分管", "In charge of"),
    "duties": ("责任事项", "Duties"),
    "duties_n": ("{n} 项责任", "{n} duties"),
    "no_duties": ("未登记责任事项", "no duties recorded"),
    "vacancy": ("空缺", "Vacant"),
    "vacancies": ("空缺与缺项", "Vacancies and gaps"),
    "no_vacancies": ("四责主体齐全", "All four holders present"),
    "duties_by_resp": ("按责任类型", "By responsibility"),
    "duties_by_list": ("按清单", "By list"),
    "duties_by_aspect": ("按方面", "By aspect"),
    "duty_list_title": ("责任清单明细", "Duty items"),
    "chain_up": ("上级链条（至市级）", "Chain up to the city"),
    "chain_top": ("已是最高层级", "This is the top of the chain"),
    "descendants": ("下级单位", "Units below"),
    "descendants_n": ("下级单位共 {n} 个", "{n} units below"),
    "children": ("直属下级", "Direct subordinates"),
    "by_kind": ("按类型", "By kind"),
    "by_level": ("按层级", "By level"),
    "level_n": ("第 {n} 级", "level {n}"),
    "open_loops": ("未闭环事项", "Open loops"),
    "no_open_loops": ("没有未闭环事项。", "No open loops."),
    "findings": ("薄弱环节", "Weak links"),
    "no_findings": ("未发现薄弱环节。", "No weak links found."),
    "health": ("健康度", "Health score"),
    "health_reasons": ("扣分原因", "Reasons"),
    "analytics_loading": ("正在分析薄弱环节（首次分析需要一些时间）…",
                          "Analysing weak links (the first analysis takes a while)…"),
    "analytics_failed": ("薄弱环节分析暂时无法完成，请稍后刷新。",
                         "The weak-link analysis could not be completed; reload later."),
    "findings_total": ("共 {n} 项", "{n} in all"),
    "see_all": ("查看全部", "See all"),
    # -- person -----------------------------------------------------------------------
    "person": ("人员", "Person"),
    "job_title": ("职务", "Title"),
    "posts": ("任职", "Posts"),
    "portfolios": ("分管领域", "Portfolios"),
    "duties_held": ("承担的责任", "Duties held"),
    "issues_assigned": ("领衔整改的问题", "Issues assigned"),
    "projects_led": ("牵头的项目", "Projects led"),
    "referrals_received": ("收到的廉情抄告", "Integrity referrals received"),
    "records": ("履责/失责记实", "Duty and failure records"),
    "accountability": ("问责", "Accountability"),
    "cases_involved": ("涉及的案件", "Cases involved in"),
    "answered": ("已回告", "answered"),
    "unanswered": ("未回告", "not answered"),
    # -- issue / case -----------------------------------------------------------------
    "issue": ("问题", "Issue"),
    "case": ("案件", "Case"),
    "resp_chain": ("责任链条", "Responsibility chain"),
    "resp_chain_note": ("按发现日期 {date} 的责任主体", "Holders as of the date found, {date}"),
    "link": ("环节", "Link"),
    "holder": ("责任主体", "Holder"),
    "responsibility": ("责任类型", "Responsibility"),
    "acc_category": ("问责责任类型", "Accountability category"),
    "projects": ("整改项目", "Projects"),
    "trace_back": ("倒查", "Trace-back"),
    "trace_note": ("按案件发生日期 {date} 的责任链条，对照实际问责", "The chain as of {date}, "
                   "when the case occurred, set against the accountability decided"),
    "held": ("已问责", "Held accountable"),
    "gap": ("缺口", "Gap"),
    "gap_long": ("未被问责（缺口）", "Not held accountable (gap)"),
    "outside_chain": ("链条外被问责", "Held accountable outside the chain"),
    "gaps_n": ("{n} 个问责缺口", "{n} accountability gaps"),
    "no_gaps": ("责任链条均已问责，无缺口。",
                "Everyone in the chain was held accountable: no gaps."),
    "measure": ("问责方式", "Measure"),
    "form": ("形态", "Form"),
    "form_n": ("第{n}种形态", "form {n}"),
    "involved": ("涉案人员", "Persons involved"),
    "origin_issue": ("线索来源问题", "Originating issue"),
    "decided_on": ("决定日期", "Decided on"),
    "role_owner": ("领衔人", "owner"),
    "role_involved": ("涉案人员", "person involved"),
    "role_member_in_charge": ("分管班子成员", "member in charge"),
    "role_secretary": ("书记", "secretary"),
    "role_committee": ("党委（党组）", "Party committee"),
    "role_discipline_body": ("纪委监委（派驻机构）", "discipline body"),
    "direct_resp": ("直接责任", "direct responsibility"),
    "basis": ("依据", "Basis"),
    "basis_via_parent": ("（上级单位分管）", "(in charge of the parent unit)"),
    "result": ("问责情况", "Outcome"),
    "missing_link": ("链条缺位", "No holder"),
    "stopped_at_direct": ("问责止于直接责任人，未倒查领导责任和监督责任",
                          "Accountability stopped at the direct level: leadership and "
                          "supervisory responsibility were not traced"),
    "whole_chain_held": ("责任链条上的每个主体均已被问责",
                         "Everyone in the chain was held accountable"),
    "trace_counts": ("应担责 {expected} · 已问责 {held} · 缺口 {gaps} · 缺位 {missing} · "
                     "链条外 {outside}",
                     "expected {expected} · held {held} · gaps {gaps} · no holder {missing} · "
                     "outside {outside}"),
    "all_decisions": ("全部问责决定", "All accountability decisions"),
    "decided_by": ("决定单位", "Decided by"),
    "target": ("问责对象", "Target"),
    "related": ("相关记录", "Related records"),
    "found_on": ("发现日期", "Found on"),
    "occurred_on": ("发生日期", "Occurred on"),
    "overdue": ("逾期", "overdue"),
    "late": ("逾期回告", "replied late"),
    "active_posts": ("现任职务", "Current posts"),
    "records_by": ("本人履责/失责记实", "Records of own actions"),
    "records_concerning": ("涉及本人的记实", "Records concerning this person"),
    "as_of_from_today": ("（无日期，按今天）", "(undated: as of today)"),
    "cases_title": ("案件", "Cases"),
    "cases_in_subtree": ("本单位及下级的案件", "Cases in this unit and below"),
    "no_cases": ("没有案件记录。", "No cases recorded."),
    "open_trace": ("倒查", "trace back"),
    # -- dashboards -------------------------------------------------------------------
    "loops_title": ("未闭环事项", "Open loops"),
    "loops_intro": (
        "逾期未回告的廉情抄告、没有领衔人或整改项目的问题、逾期未完成的项目，按逾期天数排序。",
        "Integrity referrals past due without a reply, issues with no owner or no project and "
        "projects past their deadline, most overdue first.",
    ),
    "loop_kind": ("类型", "Kind"),
    "loop_item": ("事项", "Item"),
    "loop_unit": ("单位", "Unit"),
    "loop_who": ("责任人", "Responsible"),
    "loop_due": ("期限", "Due"),
    "loop_days": ("逾期天数", "Days overdue"),
    "weak_title": ("薄弱环节", "Weak links"),
    "weak_intro": (
        "分析责任网络中横向协同、纵向联动与结构上的薄弱环节；点击事项打开相关页面。",
        "Weak links in horizontal and vertical coordination and in the network's structure; "
        "open an item to see its page.",
    ),
    "finding_code": ("代码", "Code"),
    "finding_axis": ("方向", "Axis"),
    "severity": ("严重程度", "Severity"),
    "finding_about": ("涉及", "Concerns"),
    "finding_explain": ("说明", "Explanation"),
    "health_scores": ("单位健康度", "Unit health scores"),
    "axis_vertical": ("纵向", "vertical"),
    "axis_horizontal": ("横向", "horizontal"),
    "axis_structural": ("结构", "structural"),
    # -- graph ------------------------------------------------------------------------
    "graph_title": ("关系图", "Relationship graph"),
    "graph_intro": (
        "单击节点展开其周边关系；双击打开节点页面。键盘：Tab 选中列表中的节点，Enter 展开。",
        "Click a node to expand its neighbourhood; double-click to open its page. Keyboard: "
        "Tab to a node in the list, Enter to expand.",
    ),
    "graph_node": ("起点节点", "Start node"),
    "graph_depth": ("深度", "Depth"),
    "graph_load": ("加载", "Load"),
    "graph_filters": ("筛选", "Filters"),
    "graph_node_kinds": ("节点类型", "Node kinds"),
    "graph_rel_kinds": ("关系类型", "Relationship kinds"),
    "graph_legend": ("图例", "Legend"),
    "graph_weak": ("薄弱环节（红色粗虚线）", "Weak link (red, thick, dashed)"),
    "graph_weak_mark": ("⚠ 薄弱环节", "⚠ weak link"),
    "graph_path": ("两点路径", "Path between two nodes"),
    "graph_path_from": ("起点", "From"),
    "graph_path_to": ("终点", "To"),
    "graph_path_find": ("查找路径", "Find path"),
    "graph_path_pick": ("按住 Shift 单击节点可选为起点/终点", "Shift-click nodes to pick them"),
    "graph_path_none": ("两点之间没有路径。", "No path between these nodes."),
    "graph_export": ("导出", "Export"),
    "graph_export_png": ("导出 PNG", "Export PNG"),
    "graph_export_csv": ("导出 CSV", "Export CSV"),
    "graph_hierarchical": ("层级布局（上级在上）", "Hierarchical layout (top-down)"),
    "graph_fit": ("适应窗口", "Fit to window"),
    "graph_reset": ("清空", "Clear"),
    "graph_nodes_list": ("节点列表", "Nodes"),
    "graph_more": ("另有 {n} 个未显示", "{n} more"),
    "graph_status": ("{nodes} 个节点，{edges} 条关系", "{nodes} nodes, {edges} relationships"),
    "graph_empty": (
        "请输入或搜索一个节点（如 unit:JD）开始浏览。",
        "Enter or search for a node (e.g. unit:JD) to start.",
    ),
    "graph_error": ("加载关系图失败：", "Could not load the graph: "),
    "graph_selected": ("已选中", "Selected"),
    "graph_expand": ("展开", "Expand"),
    # -- trace-back, 案后治理 and statistics (persons and organisations apart) -----------
    "acc_stats": ("问责统计", "Accountability statistics"),
    "acc_stats_note": ("党员干部按人次、党组织按个分别统计，不相加。",
                       "Persons are counted in person-times and Party organisations one by "
                       "one, never added up."),
    "year": ("年度", "Year"),
    "persons_times": ("党员干部（人次）", "Persons (person-times)"),
    "orgs_count": ("党组织（个）", "Party organisations"),
    "change": ("增减", "Change"),
    "conducted_jointly": ("联合组织实施", "Conducted jointly by"),
    "held_other": ("以其他责任类型问责", "Held with a different category"),
    "held_other_long": ("被问责，但问责责任类型与本环节不符，本环节未被问责",
                        "Held accountable in another category: this link is not discharged"),
    "not_applicable": ("经倒查不予追究", "Judged not applicable"),
    "rectification": ("来源问题的整改", "Rectification of the originating issue"),
    "rectification_note": ("领衔整改是整改问题的职责，不因此成为案件的直接责任人。",
                           "Leading a rectification is a duty of its own: it does not make "
                           "its holder directly responsible for the case."),
    "role_rectification_lead": ("领衔整改", "leads the rectification"),
    "role_responsible": ("认定的直接责任人", "named directly responsible"),
    "post_case": ("案后治理", "Post-case governance"),
    "post_case_none": ("案件之后没有以案促改的问题或整改项目。",
                       "No issue or project follows the case."),
    "in_chain_as": ("链条中为{role}", "in the chain as {role}"),
    # -- errors -----------------------------------------------------------------------
    "error": ("出错了", "Something went wrong"),
    "not_found_title": ("未找到", "Not found"),
    "not_found_body": ("没有编号为“{id}”的{kind}。", "There is no {kind} with the id “{id}”."),
    "not_found_hint": (
        "编号可能有误，或该记录已被删除。可以用上方搜索框按名称查找。",
        "The id may be mistyped or the record removed. Use the search box above to find it "
        "by name.",
    ),
    "page_not_found": ("页面不存在。", "This page does not exist."),
    "unavailable_title": ("数据库暂时不可用", "The database is unavailable"),
    "unavailable_body": (
        "暂时无法连接到图数据库，可能正在重启或维护。",
        "The graph database cannot be reached right now; it may be restarting or under "
        "maintenance.",
    ),
    "unavailable_hint": (
        "请稍候片刻再刷新本页；如果持续出现，请联系系统管理员。",
        "Wait a moment and reload this page; if it persists, contact your administrator.",
    ),
    "retry": ("重试", "Retry"),
    "invalid_title": ("输入有误", "Invalid input"),
    "invalid_body": ("“{field}”：{reason}", "“{field}”: {reason}"),
    "ambiguous_title": ("编号对应多个记录", "That id names several records"),
    "ambiguous_body": ("编号“{id}”对应以下记录，请选择：",
                       "The id “{id}” names these records; pick one:"),
    "back_home": ("返回首页", "Back to the home page"),
    "forbidden_title": ("无权访问", "Not allowed"),
    "forbidden_body": ("当前账号的角色不能查看此页面（例如薄弱环节分析需要分析员角色）。",
                       "Your role may not see this page (weak-link analysis needs the analyst "
                       "role, for example)."),
    "signed_in_as": ("当前用户", "Signed in as"),
    "logout": ("退出", "Sign out"),
}


class Translator:
    """Looks up catalogue strings and schema labels in one language."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang

    def __call__(self, key: str, **params: Any) -> str:
        """The catalogue string for ``key``, formatted with ``params``."""
        zh, en = CATALOGUE[key]
        text = zh if self.lang == "zh" else en
        return text.format(**params) if params else text

    @property
    def other(self) -> Lang:
        return "en" if self.lang == "zh" else "zh"

    # -- names declared by the schema ---------------------------------------------------
    def kind(self, label: str) -> str:
        """The name of a node kind (``Unit`` → 单位 / unit)."""
        try:
            node = SCHEMA.node(label)
        except SchemaError:
            return label
        return node.zh if self.lang == "zh" else node.en

    def rel(self, rel_type: str) -> str:
        """The name of a relationship kind (``SUPERVISES`` → 监督 / supervises)."""
        try:
            rel = SCHEMA.rel(rel_type)
        except SchemaError:
            return rel_type
        return rel.zh if self.lang == "zh" else rel.en

    def enum(self, enum_name: str, code: Any) -> str:
        """The label of an enum value; the code itself when it is unknown or empty."""
        if code is None or code == "":
            return ""
        try:
            return SCHEMA.enum(enum_name).label(str(code), self.lang)
        except SchemaError:
            return str(code)

    def prop(self, label: str, name: str) -> str:
        """The name of a node property (``Issue.found_on`` → 发现日期 / found on)."""
        try:
            p = SCHEMA.node(label).prop(name)
        except SchemaError:
            return name
        return p.zh if self.lang == "zh" else p.en

    def prop_value(self, label: str, name: str, value: Any) -> str:
        """A property value as shown: enum codes become labels, the rest as written."""
        if value is None:
            return ""
        try:
            p = SCHEMA.node(label).prop(name)
        except SchemaError:
            return str(value)
        if p.enum:
            return self.enum(p.enum, value)
        return str(value)

    def pick(self, zh: str | None, en: str | None) -> str:
        """One of two texts a result carries in both languages (findings, vacancies)."""
        if self.lang == "zh":
            return zh or en or ""
        return en or zh or ""


def pick_lang(query_lang: str | None, cookie_lang: str | None) -> Lang:
    """The language of a request: ``?lang=`` first, then the cookie, then Chinese.

    >>> pick_lang("en", None), pick_lang(None, "en"), pick_lang("fr", None)
    ('en', 'en', 'zh')
    """
    for candidate in (query_lang, cookie_lang):
        if candidate == "en":
            return "en"
        if candidate == "zh":
            return "zh"
    return DEFAULT_LANG
