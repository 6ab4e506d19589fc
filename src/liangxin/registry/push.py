"""Policy push (精准推送, 应享尽享): from an enterprise's profile, the policies it can use, each with
the reasons it matches, and those it narrowly misses with the one condition it lacks.

A policy is considered for an enterprise when it is in force (not expired) and applies where the
enterprise is: a national policy everywhere, any other one in its jurisdiction and below. Then
every requirement the policy states is checked:

- who may apply (`applicant_types`): the enterprise's size (large/medium/small/micro, or 中小企业 for
  any of the last three), one of its flags (专精特新 …), its roles (manufacturer, supplier …), or
  its industry; one of them is enough. A policy only for individuals is never pushed to companies.
- domains: one of the enterprise's projects is in one of the policy's domains.
- conditions: each tag that names something the profile knows (a flag, a size, a role, a domain,
  a funding channel) must hold; other tags cannot be checked and are listed "to verify".
- the funding channel is not required but, when one of its projects seeks it, it is a reason.

No requirement missing: the policy is usable (with its reasons). Exactly one missing: a near miss
(with what is missing). The core works on plain data (`Profile`, `PolicyFacts`); the functions at
the bottom read them from the database, in two queries per batch.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .enums import EnterpriseRole, EnterpriseSize, FundingChannel, PolicyLevel, ProjectDomain, ProjectStage

SME_WORDS = frozenset({"sme", "中小企业", "中小微企业"})
SME_SIZES = frozenset({EnterpriseSize.MEDIUM, EnterpriseSize.SMALL, EnterpriseSize.MICRO})
ANY_ENTERPRISE = frozenset({"enterprise", "企业", "各类企业"})
INDIVIDUAL = frozenset({"individual", "个人", "消费者"})


# The words policies use for sizes, roles, domains and channels, besides the stored values. Fixed
# here (not read from the translation catalogue) so the push does not depend on the active language.
SIZE_WORDS = {
    "大型": EnterpriseSize.LARGE,
    "大型企业": EnterpriseSize.LARGE,
    "中型": EnterpriseSize.MEDIUM,
    "中型企业": EnterpriseSize.MEDIUM,
    "小型": EnterpriseSize.SMALL,
    "小型企业": EnterpriseSize.SMALL,
    "微型": EnterpriseSize.MICRO,
    "微型企业": EnterpriseSize.MICRO,
}
ROLE_WORDS = {
    "生产企业": EnterpriseRole.MANUFACTURER,
    "制造企业": EnterpriseRole.MANUFACTURER,
    "供应商": EnterpriseRole.SUPPLIER,
    "回收企业": EnterpriseRole.RECYCLER,
    "商户": EnterpriseRole.MERCHANT,
    "销售企业": EnterpriseRole.MERCHANT,
    "融资租赁公司": EnterpriseRole.LEASING,
    "银行": EnterpriseRole.BANK,
    "项目业主": EnterpriseRole.PROJECT_OWNER,
    "项目单位": EnterpriseRole.PROJECT_OWNER,
}
DOMAIN_WORDS = {
    "工业": ProjectDomain.INDUSTRY,
    "农业": ProjectDomain.AGRICULTURE,
    "建筑和市政": ProjectDomain.CONSTRUCTION,
    "交通": ProjectDomain.TRANSPORT,
    "交通运输": ProjectDomain.TRANSPORT,
    "教育": ProjectDomain.EDUCATION,
    "文旅": ProjectDomain.CULTURE_TOURISM,
    "医疗": ProjectDomain.MEDICAL,
    "回收循环利用": ProjectDomain.RECYCLING,
}
CHANNEL_WORDS = {
    "中央预算内投资": FundingChannel.CENTRAL_BUDGET,
    "超长期特别国债": FundingChannel.SPECIAL_BONDS,
    "中央财政补贴": FundingChannel.CENTRAL_SUBSIDY,
    "贷款贴息": FundingChannel.LOAN_INTEREST,
    "设备更新贷款贴息": FundingChannel.LOAN_INTEREST,
    "再贷款": FundingChannel.RELENDING,
    "科技创新和技术改造再贷款": FundingChannel.RELENDING,
    "地方专项资金": FundingChannel.LOCAL_FUND,
}


def _vocabulary(enum, words: dict) -> dict[str, str]:
    return {**{str(v): str(v) for v in enum.values}, **{k: str(v) for k, v in words.items()}}


SIZES = _vocabulary(EnterpriseSize, SIZE_WORDS)
ROLES = _vocabulary(EnterpriseRole, ROLE_WORDS)
DOMAINS = _vocabulary(ProjectDomain, DOMAIN_WORDS)
CHANNELS = _vocabulary(FundingChannel, CHANNEL_WORDS)


@dataclass(frozen=True)
class ProjectFacts:
    key: int
    name: str
    domain: str
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    key: int
    name: str
    jurisdiction_path: str
    industry: str = ""
    size: str = ""
    flags: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    projects: tuple[ProjectFacts, ...] = ()


@dataclass(frozen=True)
class PolicyFacts:
    key: int
    title: str
    level: str
    jurisdiction_path: str
    funding_channel: str = ""
    domains: tuple[str, ...] = ()
    applicant_types: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    effective_to: datetime.date | None = None


@dataclass(frozen=True)
class Check:
    """One requirement: code (jurisdiction, applicant, domain, condition, channel, to_verify), what
    satisfied it (or what is missing)."""

    code: str
    values: tuple[str, ...] = ()


@dataclass
class PushResult:
    policy: PolicyFacts
    reasons: list[Check] = field(default_factory=list)
    missing: list[Check] = field(default_factory=list)
    to_verify: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.missing


def _applies_where(profile: Profile, policy: PolicyFacts) -> bool:
    if policy.level == PolicyLevel.NATIONAL:
        return True
    return bool(profile.jurisdiction_path) and profile.jurisdiction_path.startswith(policy.jurisdiction_path)


def _applicant_match(profile: Profile, wanted: str) -> bool:
    if wanted in ANY_ENTERPRISE:
        return True
    if wanted in SME_WORDS:
        return profile.size in SME_SIZES
    if wanted in SIZES:
        return profile.size == SIZES[wanted]
    if wanted in ROLES:
        return ROLES[wanted] in profile.roles
    if wanted in profile.flags:
        return True
    return bool(profile.industry) and (wanted == profile.industry or wanted in profile.industry)


def _condition(profile: Profile, tag: str, known_flags: frozenset[str]) -> bool | None:
    """True/False when the profile can answer the tag, None when it cannot be checked here.
    (Domain and channel tags are answered together, in push_for: any one of them is enough.)"""
    if tag in SME_WORDS:
        return profile.size in SME_SIZES
    if tag in SIZES:
        return profile.size == SIZES[tag]
    if tag in ROLES:
        return ROLES[tag] in profile.roles
    if tag in profile.flags:
        return True
    if tag in known_flags:
        return False
    return None


def push_for(
    profile: Profile,
    policies: Iterable[PolicyFacts],
    *,
    today: datetime.date,
    known_flags: Iterable[str] = (),
) -> tuple[list[PushResult], list[PushResult]]:
    """(usable, near misses) for one enterprise, each best first."""
    known = frozenset(known_flags)
    usable, near = [], []
    for policy in policies:
        if policy.effective_to is not None and policy.effective_to < today:
            continue
        if not _applies_where(profile, policy):
            continue
        wanted = tuple(policy.applicant_types)
        if wanted and all(w in INDIVIDUAL for w in wanted):
            continue
        result = PushResult(policy, reasons=[Check("jurisdiction", (policy.level,))])
        company_types = [w for w in wanted if w not in INDIVIDUAL]
        if company_types:
            hit = tuple(w for w in company_types if _applicant_match(profile, w))
            if hit:
                result.reasons.append(Check("applicant", hit))
            else:
                result.missing.append(Check("applicant", tuple(company_types)))
        if policy.domains:
            projects = [p for p in profile.projects if p.domain in policy.domains]
            if projects:
                domains = tuple(dict.fromkeys(p.domain for p in projects))
                result.reasons.append(Check("domain", domains + tuple(p.name for p in projects)))
            else:
                result.missing.append(Check("domain", tuple(policy.domains)))
        # Domain and channel tags among the conditions are alternatives: one project in one of the
        # domains, or seeking one of the channels, satisfies them.
        domain_tags = [t for t in policy.conditions if t in DOMAINS]
        if domain_tags:
            wanted_domains = {DOMAINS[t] for t in domain_tags}
            if any(p.domain in wanted_domains for p in profile.projects):
                result.reasons.append(Check("condition", tuple(domain_tags)))
            else:
                result.missing.append(Check("condition", tuple(domain_tags)))
        channel_tags = [t for t in policy.conditions if t in CHANNELS]
        if channel_tags:
            wanted_channels = {CHANNELS[t] for t in channel_tags}
            if any(wanted_channels & set(p.channels) for p in profile.projects):
                result.reasons.append(Check("condition", tuple(channel_tags)))
            else:
                result.missing.append(Check("condition", tuple(channel_tags)))
        for tag in policy.conditions:
            if tag in DOMAINS or tag in CHANNELS:
                continue
            answer = _condition(profile, tag, known)
            if answer is None:
                result.to_verify.append(tag)
            elif answer:
                result.reasons.append(Check("condition", (tag,)))
            else:
                result.missing.append(Check("condition", (tag,)))
        if policy.funding_channel:
            seeking = [p.name for p in profile.projects if policy.funding_channel in p.channels]
            if seeking:
                result.reasons.append(Check("channel", (policy.funding_channel, *seeking)))
        if not result.missing:
            usable.append(result)
        elif len(result.missing) == 1:
            near.append(result)
    usable.sort(key=_order)
    near.sort(key=_order)
    return usable, near


_LEVEL_ORDER = {PolicyLevel.COUNTY: 0, PolicyLevel.CITY: 1, PolicyLevel.PROVINCE: 2, PolicyLevel.NATIONAL: 3}


def _order(result: PushResult):
    has_channel = any(r.code == "channel" for r in result.reasons)
    return (not has_channel, -len(result.reasons), _LEVEL_ORDER.get(result.policy.level, 9), result.policy.key)


# --- the database side --------------------------------------------------------------------------

# Projects that are over (withdrawn, completed) no longer make an enterprise eligible.
LIVE_STAGES = tuple(s for s in ProjectStage.values if s not in (ProjectStage.WITHDRAWN, ProjectStage.COMPLETED))


def policy_facts(policies) -> list[PolicyFacts]:
    return [
        PolicyFacts(
            key=p.pk,
            title=p.title,
            level=p.level,
            jurisdiction_path=p.jurisdiction.tree_path,
            funding_channel=p.funding_channel or "",
            domains=tuple(p.domains or ()),
            applicant_types=tuple(p.applicant_types or ()),
            conditions=tuple(p.conditions or ()),
            effective_to=p.effective_to,
        )
        for p in policies
    ]


def profiles(enterprises) -> list[Profile]:
    """Profiles of the enterprises (a queryset or list), their live projects read in one query."""
    from .models import Project

    enterprises = list(enterprises)
    by_owner = defaultdict(list)
    rows = Project.objects.filter(owner_id__in=[e.pk for e in enterprises], stage__in=LIVE_STAGES).order_by("pk")
    for pk, owner_id, name, domain, channels in rows.values_list("pk", "owner_id", "name", "domain", "channels"):
        by_owner[owner_id].append(ProjectFacts(pk, name, domain, tuple(channels or ())))
    return [
        Profile(
            key=e.pk,
            name=e.name,
            jurisdiction_path=e.jurisdiction.tree_path if e.jurisdiction_id else "",
            industry=e.industry or "",
            size=e.size or "",
            flags=tuple(e.flags or ()),
            roles=tuple(getattr(e, "roles", None) or ()),
            projects=tuple(by_owner[e.pk]),
        )
        for e in enterprises
    ]


def _known_flags() -> frozenset[str]:
    from .enums import ENTERPRISE_FLAGS

    return frozenset(ENTERPRISE_FLAGS)


def policies_in_force():
    from .models import Policy

    return Policy.objects.select_related("jurisdiction").order_by("pk")


def push_enterprise(enterprise, *, today: datetime.date, policies=None):
    """(usable, near misses) for one enterprise against every policy (or those given)."""
    facts = policy_facts(policies if policies is not None else policies_in_force())
    (profile,) = profiles([enterprise])
    return push_for(profile, facts, today=today, known_flags=_known_flags())


def push_batch(enterprises, *, today: datetime.date, policies=None) -> list[tuple[Profile, list, list]]:
    """Every enterprise with its usable policies and near misses: [(profile, usable, near)]."""
    facts = policy_facts(policies if policies is not None else policies_in_force())
    facts = [f for f in facts if f.effective_to is None or f.effective_to >= today]
    known = _known_flags()
    # Enterprises of one place share the policies that apply there: sort those out once per place.
    by_place: dict[str, list[PolicyFacts]] = {}
    out = []
    for profile in profiles(enterprises):
        here = by_place.get(profile.jurisdiction_path)
        if here is None:
            here = by_place[profile.jurisdiction_path] = [f for f in facts if _applies_where(profile, f)]
        out.append((profile, *push_for(profile, here, today=today, known_flags=known)))
    return out


# --- how reasons read ---------------------------------------------------------------------------


def _label(enum, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def describe(check: Check) -> str:
    """A reason or a missing condition as the office reads it."""
    v = check.values
    if check.code == "jurisdiction":
        return _("%(level)s policy applies here") % {"level": _label(PolicyLevel, v[0])}
    if check.code == "applicant":
        return _("applicant: %(who)s") % {"who": "、".join(_applicant_label(w) for w in v)}
    if check.code == "domain":
        domains = [x for x in v if x in ProjectDomain.values]
        projects = [x for x in v if x not in ProjectDomain.values]
        text = _("domain: %(domains)s") % {"domains": "、".join(_label(ProjectDomain, d) for d in domains)}
        return f"{text}（{'、'.join(projects)}）" if projects else text
    if check.code == "condition":
        return _("condition: %(tag)s") % {"tag": " / ".join(_applicant_label(t) for t in v)}
    if check.code == "channel":
        return _("channel %(channel)s sought by %(projects)s") % {
            "channel": _label(FundingChannel, v[0]),
            "projects": "、".join(v[1:]),
        }
    return "、".join(v)


def _applicant_label(value: str) -> str:
    for enum in (EnterpriseSize, EnterpriseRole, ProjectDomain, FundingChannel):
        if value in enum.values:
            return _label(enum, value)
    if value in SME_WORDS:
        return _("small and medium-sized enterprises")
    return value


def batch_rows(results) -> list[dict]:
    """One row per enterprise × policy (usable or near miss), for the page and the spreadsheet."""
    rows = []
    for profile, usable, near in results:
        for state, items in (("usable", usable), ("near", near)):
            for r in items:
                rows.append(
                    {
                        "enterprise": profile.key,
                        "enterprise_name": profile.name,
                        "policy": r.policy.key,
                        "policy_title": r.policy.title,
                        "level": r.policy.level,
                        "state": state,
                        "reasons": [describe(c) for c in r.reasons],
                        "missing": [describe(c) for c in r.missing],
                        "to_verify": list(r.to_verify),
                    }
                )
    return rows


def batch_xlsx(rows: Sequence[dict], *, enterprises: dict[int, object], policies: dict[int, object]) -> bytes:
    """The push list as a workbook: one row per enterprise × policy, with the reasons."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Policy push")[:31]
    head = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Policy"),
        _("Level"),
        _("Document number"),
        _("Result"),
        _("Why it matches"),
        _("What is missing"),
        _("To verify"),
    ]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        enterprise, policy = enterprises[row["enterprise"]], policies[row["policy"]]
        ws.append(
            [
                row["enterprise_name"],
                enterprise.uscc,
                row["policy_title"],
                _label(PolicyLevel, row["level"]),
                policy.doc_number,
                _("usable") if row["state"] == "usable" else _("narrowly missed"),
                "；".join(row["reasons"]),
                "；".join(row["missing"]),
                "；".join(row["to_verify"]),
            ]
        )
    for letter, width in zip("ABCDEFGHI", (30, 22, 40, 8, 20, 10, 60, 30, 20), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
