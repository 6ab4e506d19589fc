"""Writes of the 督办 list: the scan that finds what to chase, the escalation ladder, reminders.

The scan is idempotent: it may run as often as one likes (the `liangxin remind` cron job, the
office's button). One item exists per (rule, period, subject); its level only goes up; an item whose
cause went away is resolved. Every new item and every change of level reminds the people concerned
once, in the app and by e-mail, after the transaction commits.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.enums import Role
from liangxin.core.models import User
from liangxin.plans.enums import AssignmentRole
from liangxin.plans.models import Assignment, Indicator, Plan

from ..enums import PeriodState, Status, SubmissionState, SupervisionLevel, SupervisionRule, TaskProgress
from ..models import Notification, Period, Submission, SupervisionItem, TaskEntry, TaskProfile
from ..rules import can_run_dispatch
from ..selectors import units_owing
from ..selectors_supervision import (
    LEVEL_RANK,
    SUBJECT_INDICATOR,
    SUBJECT_TASK,
    SUBJECT_UNIT,
    concerned_unit_ids,
    item_unit_ids,
    leaders_covering,
)
from ..supervision_sources import SOURCES

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 3
# A report counts once the unit has sent it; a returned report is owed again.
SENT_STATES = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)
# What the office may press beyond red, one step at a time.
NEXT_LEVEL = {
    SupervisionLevel.OVERDUE: SupervisionLevel.URGED,
    SupervisionLevel.URGED: SupervisionLevel.NAMED,
    SupervisionLevel.NAMED: SupervisionLevel.SUPERVISED,
}
STEP_LABELS = {
    SupervisionLevel.URGED: gettext_lazy("Urge (催办)"),
    SupervisionLevel.NAMED: gettext_lazy("Name in the bulletin (通报)"),
    SupervisionLevel.SUPERVISED: gettext_lazy("Formal supervision (督办)"),
}


def next_level(item: SupervisionItem) -> str | None:
    """The one level the office may escalate an open item to, or None."""
    if item.resolved_at is not None:
        return None
    return NEXT_LEVEL.get(item.level)


# --- the scan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    rule: str
    period: Period | None
    subject_type: str
    subject_id: int
    level: str
    title: str
    unit_id: int | None
    unit_ids: tuple[int, ...]

    @property
    def key(self) -> tuple:
        return (self.rule, self.period.pk if self.period else None, self.subject_type, self.subject_id)


@dataclass
class ScanReport:
    """What one scan did, for the command's summary and the office's message."""

    items: list[SupervisionItem] = field(default_factory=list)
    created: int = 0
    raised: int = 0
    resolved: int = 0
    notifications: int = 0
    skipped_rules: list[str] = field(default_factory=list)


def supervision_scan(*, plan: Plan, today: date, actor=None) -> list[SupervisionItem]:
    """Find what to chase in a plan as of `today`; returns the open items whose cause holds.

    Side effects: creates, raises and resolves SupervisionItems (each audited) and queues reminders
    (Notification rows now, e-mails after commit).
    """
    return supervision_scan_report(plan=plan, today=today, actor=actor).items


@transaction.atomic
def supervision_scan_report(*, plan: Plan, today: date, actor=None) -> ScanReport:
    # Two scans of one plan at once would both create the period-less items: take turns.
    plan = Plan.objects.select_for_update().select_related("jurisdiction").get(pk=plan.pk)
    report = ScanReport()
    with translation.override(settings.LANGUAGE_CODE):
        findings = _submission_findings(plan, today) + _task_findings(plan, today)
        indicator_findings = _indicator_findings(plan, today)
        scanned_rules = {SupervisionRule.SUBMISSION_DUE, SupervisionRule.TASK_OVERDUE}
        for source in SOURCES.values():
            findings += source.findings(plan, today)
            scanned_rules.add(source.rule)
        if indicator_findings is None:
            report.skipped_rules.append(SupervisionRule.INDICATOR_LAGGING)
        else:
            findings += indicator_findings
            scanned_rules.add(SupervisionRule.INDICATOR_LAGGING)

        existing = {}
        for i in SupervisionItem.objects.filter(plan=plan):
            i.plan = plan
            existing[(i.rule, i.period_id, i.subject_type, i.subject_id)] = i
        outbox: list[int] = []
        seen = set()
        for finding in findings:
            seen.add(finding.key)
            item = existing.get(finding.key)
            if item is None:
                item = _open_item(plan, finding, actor)
                report.created += 1
            elif item.resolved_at is not None:
                # Resolved by the office or by an earlier scan: it stays closed for this period.
                continue
            elif LEVEL_RANK[finding.level] > LEVEL_RANK[item.level]:
                _set_level(item, finding.level, actor=actor, action="supervision.raise")
                report.raised += 1
            else:
                report.items.append(item)
                continue
            outbox += _notify(item, item.level, unit_ids=finding.unit_ids)
            report.items.append(item)

        for key, item in existing.items():
            if key not in seen and item.resolved_at is None and item.rule in scanned_rules:
                _close(
                    item,
                    actor=actor,
                    note=_("Resolved by the scan of %(date)s: the cause went away.") % {"date": today.isoformat()},
                    action="supervision.resolve_auto",
                )
                report.resolved += 1
    report.notifications = len(outbox)
    send_after_commit(outbox)
    return report


def _submission_findings(plan: Plan, today: date) -> list[Finding]:
    periods = list(
        Period.objects.filter(plan=plan, due__lte=today + timedelta(days=DUE_SOON_DAYS))
        .exclude(state=PeriodState.PLANNED)
        .order_by("start")
    )
    if not periods:
        return []
    units = units_owing(plan)
    sent = set(Submission.objects.filter(period__in=periods, state__in=SENT_STATES).values_list("period_id", "unit_id"))
    findings = []
    for period in periods:
        level = SupervisionLevel.OVERDUE if today > period.due else SupervisionLevel.DUE_SOON
        for unit in units:
            if (period.pk, unit.pk) in sent:
                continue
            title = _("%(unit)s: report for %(period)s, due %(due)s") % {
                "unit": unit.name,
                "period": period.label,
                "due": period.due.isoformat(),
            }
            findings.append(
                Finding(
                    rule=SupervisionRule.SUBMISSION_DUE,
                    period=period,
                    subject_type=SUBJECT_UNIT,
                    subject_id=unit.pk,
                    level=level,
                    title=title[:300],
                    unit_id=unit.pk,
                    unit_ids=(unit.pk,),
                )
            )
    return findings


def _task_findings(plan: Plan, today: date) -> list[Finding]:
    profiles = list(
        TaskProfile.objects.filter(task__plan=plan, due_on__lt=today).select_related("task").order_by("task__position")
    )
    if not profiles:
        return []
    # A task's latest report that counts (sent, not a draft or returned) says whether it is done:
    # its lead units' if they reported, else its responsible units', as the assessment reads it.
    concerned = concerned_unit_ids(plan)
    task_ids = [p.task_id for p in profiles]
    leads = set(
        Assignment.objects.filter(task_id__in=task_ids, role=AssignmentRole.LEAD).values_list("task_id", "unit_id")
    )
    by_lead: dict[int, str] = {}
    by_other: dict[int, str] = {}
    entries = (
        TaskEntry.objects.filter(task_id__in=task_ids, submission__state__in=SENT_STATES)
        .order_by("submission__period__start", "submission__submitted_at", "pk")
        .values_list("task_id", "submission__unit_id", "progress")
    )
    for task_id, unit_id, progress in entries:
        (by_lead if (task_id, unit_id) in leads else by_other)[task_id] = progress
    latest = {**by_other, **by_lead}
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    findings = []
    for profile in profiles:
        if latest.get(profile.task_id) == TaskProgress.DONE:
            continue
        task = profile.task
        period = next((p for p in periods if p.start <= profile.due_on <= p.end), None)
        unit_ids = tuple(concerned.get((SUBJECT_TASK, task.pk), ()))
        title = _("Task %(number)s “%(title)s” is past its deadline of %(due)s") % {
            "number": task.number,
            "title": task.title,
            "due": profile.due_on.isoformat(),
        }
        findings.append(
            Finding(
                rule=SupervisionRule.TASK_OVERDUE,
                period=period,
                subject_type=SUBJECT_TASK,
                subject_id=task.pk,
                level=SupervisionLevel.OVERDUE,
                title=title[:300],
                unit_id=unit_ids[0] if len(unit_ids) == 1 else None,
                unit_ids=unit_ids,
            )
        )
    return findings


def _indicator_findings(plan: Plan, today: date) -> list[Finding] | None:
    """Indicators lagging in the last two assessed periods; None while the assessment is missing.

    One item per run of lagging periods, filed under the period in which the run reached two: a
    run that goes on keeps its item (and its escalation), a run that ends resolves it.
    """
    try:
        from ..assess import indicator_statuses
    except ImportError:
        logger.warning("liangxin.dispatch.assess.indicator_statuses is missing; indicator rule skipped")
        return None
    # A period is judged once its reports are due.
    periods = list(Period.objects.filter(plan=plan, due__lt=today).order_by("start"))
    if len(periods) < 2:
        return []
    statuses = indicator_statuses(plan, periods)
    indicators = Indicator.objects.in_bulk(list(statuses))
    concerned = concerned_unit_ids(plan)
    findings = []
    for indicator_id, row in statuses.items():
        row = list(row)[: len(periods)]
        if len(row) < 2 or row[-1] != Status.LAGGING or row[-2] != Status.LAGGING:
            continue
        start = len(row) - 1
        while start > 0 and row[start - 1] == Status.LAGGING:
            start -= 1
        first, second = periods[start], periods[start + 1]
        indicator = indicators.get(indicator_id)
        if indicator is None:
            continue
        unit_ids = tuple(concerned.get((SUBJECT_INDICATOR, indicator_id), ()))
        title = _("Indicator %(seq)s “%(name)s” is lagging since %(first)s (%(count)s periods running)") % {
            "seq": indicator.seq,
            "name": indicator.name,
            "first": first.label,
            "count": len(row) - start,
        }
        findings.append(
            Finding(
                rule=SupervisionRule.INDICATOR_LAGGING,
                period=second,
                subject_type=SUBJECT_INDICATOR,
                subject_id=indicator_id,
                level=SupervisionLevel.OVERDUE,
                title=title[:300],
                unit_id=unit_ids[0] if len(unit_ids) == 1 else None,
                unit_ids=unit_ids,
            )
        )
    return findings


def _clean(item: SupervisionItem) -> None:
    # A source's rule is not one of SupervisionRule's choices (see supervision_sources).
    item.full_clean(exclude=["rule"] if item.rule in SOURCES else None)


def _open_item(plan: Plan, finding: Finding, actor) -> SupervisionItem:
    item = SupervisionItem(
        plan=plan,
        period=finding.period,
        rule=finding.rule,
        unit_id=finding.unit_id,
        subject_type=finding.subject_type,
        subject_id=finding.subject_id,
        title=finding.title,
        level=finding.level,
    )
    _clean(item)
    item.save()
    audit_record(actor=actor, action="supervision.open", instance=item, after=snapshot(item))
    return item


def _append_note(item: SupervisionItem, line: str) -> None:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    item.note = f"{item.note}\n{stamp} {line}".strip()


def _set_level(item: SupervisionItem, level: str, *, actor, action: str, note: str = "") -> None:
    before = snapshot(item)
    item.level = level
    if note:
        _append_note(item, f"{SupervisionLevel(level).label}: {note}")
    _clean(item)
    item.save(update_fields=["level", "note"])
    audit_record(actor=actor, action=action, instance=item, before=before, after=snapshot(item))


def _close(item: SupervisionItem, *, actor, note: str, action: str) -> None:
    before = snapshot(item)
    item.resolved_at = timezone.now()
    _append_note(item, note)
    _clean(item)
    item.save(update_fields=["resolved_at", "note"])
    audit_record(actor=actor, action=action, instance=item, before=before, after=snapshot(item))


# --- the office's steps -----------------------------------------------------------------------


def _lock_open_item(*, actor, item: SupervisionItem) -> SupervisionItem:
    item = SupervisionItem.objects.select_for_update().select_related("plan__jurisdiction").get(pk=item.pk)
    if not can_run_dispatch(actor, item.plan):
        raise PermissionDenied(_("Only the plan's office handles the supervision list."))
    if item.resolved_at is not None:
        raise ValidationError(_("This item is resolved already."), code="resolved")
    return item


@transaction.atomic
def supervision_escalate(*, actor, item: SupervisionItem, level: str, note: str = "") -> SupervisionItem:
    """One step up the ladder beyond red: 催办 → 通报 → 督办, in that order, by the plan's office.

    Side effects: the unit's reporters are reminded at the new level (and, at 督办, the plan's
    office); e-mails after commit.
    """
    item = _lock_open_item(actor=actor, item=item)
    allowed = NEXT_LEVEL.get(item.level)
    if allowed is None or level != allowed:
        if allowed is None:
            message = _("An item at “%(current)s” cannot be escalated; only overdue items can.") % {
                "current": item.get_level_display()
            }
        else:
            message = _("From “%(current)s” the next step is “%(next)s”.") % {
                "current": item.get_level_display(),
                "next": SupervisionLevel(allowed).label,
            }
        raise ValidationError({"level": message}, code="order")
    _set_level(item, level, actor=actor, action="supervision.escalate", note=note.strip() or "—")
    outbox = _notify(item, level)
    send_after_commit(outbox)
    return item


@transaction.atomic
def supervision_resolve(*, actor, item: SupervisionItem, note: str) -> SupervisionItem:
    """The office closes an item, saying why."""
    item = _lock_open_item(actor=actor, item=item)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the item was resolved.")}, code="required")
    _close(item, actor=actor, note=_("Resolved: %(note)s") % {"note": note}, action="supervision.resolve")
    return item


@transaction.atomic
def supervision_escalate_to_leader(*, actor, item: SupervisionItem, leader, note: str = "") -> SupervisionItem:
    """The office puts an item before a leader over the plan's jurisdiction, who is reminded."""
    item = _lock_open_item(actor=actor, item=item)
    if leader is None or not leaders_covering(item.plan).filter(pk=leader.pk).exists():
        raise ValidationError(
            {"leader": _("Choose a leader whose jurisdiction covers this plan.")}, code="not_a_leader"
        )
    before = snapshot(item)
    item.escalated_to = leader
    line = _("Put before %(leader)s") % {"leader": leader.get_full_name() or leader.get_username()}
    _append_note(item, f"{line}: {note.strip()}" if note.strip() else line)
    _clean(item)
    item.save(update_fields=["escalated_to", "note"])
    audit_record(
        actor=actor, action="supervision.escalate_to_leader", instance=item, before=before, after=snapshot(item)
    )
    outbox = _notify(item, item.level, users=[leader])
    send_after_commit(outbox)
    return item


# --- reminders --------------------------------------------------------------------------------


def _reporters_of(unit_ids, plan: Plan):
    return User.objects.filter(
        role=Role.REPORTER, is_active=True, unit_id__in=list(unit_ids), jurisdiction_id=plan.jurisdiction_id
    )


def _office_of(plan: Plan):
    return User.objects.filter(role=Role.OFFICE, is_active=True, jurisdiction_id=plan.jurisdiction_id)


def item_url(item: SupervisionItem) -> str:
    return reverse("dispatch:supervision_list", args=[item.plan_id]) + f"#item-{item.pk}"


def _notify(item: SupervisionItem, level: str, *, unit_ids=None, users=None) -> list[int]:
    """In-app reminders for one item at one level, once per person; returns the new ones' ids.

    By default the reporters of the units the item concerns, and at 督办 the plan's office too.
    """
    if users is None:
        if unit_ids is None:
            unit_ids = item_unit_ids(item)
        recipients = list(_reporters_of(unit_ids, item.plan))
        if level == SupervisionLevel.SUPERVISED:
            recipients += list(_office_of(item.plan))
    else:
        recipients = list(users)
    with translation.override(settings.LANGUAGE_CODE):
        text = f"{SupervisionLevel(level).label}: {item.title}"[:500]
    created_ids = []
    for user in {u.pk: u for u in recipients}.values():
        notification, created = Notification.objects.get_or_create(
            user=user, item=item, level=level, defaults={"text": text, "url": item_url(item)}
        )
        if created:
            created_ids.append(notification.pk)
    return created_ids


def notify_users(*, users, text: str, url: str) -> list[int]:
    """A reminder that is about no 督办 item (a problem assigned, resolved); returns the ids."""
    ids = []
    for user in {u.pk: u for u in users}.values():
        notification = Notification(user=user, text=text[:500], url=url)
        notification.full_clean()
        notification.save()
        ids.append(notification.pk)
    return ids


def send_after_commit(notification_ids: list[int]) -> None:
    if notification_ids:
        transaction.on_commit(lambda: send_notification_emails(notification_ids))


def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail the given notifications not e-mailed yet to people who have an address; returns the
    number sent. A failed message is logged and left unsent."""
    rows = list(
        Notification.objects.filter(pk__in=notification_ids, emailed=False)
        .exclude(user__email="")
        .select_related("user", "item")
        .order_by("pk")
    )
    if not rows:
        return 0
    base = getattr(settings, "LIANGXIN_BASE_URL", "").rstrip("/")
    sent = 0
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        subject_prefix = _("[Liangxin]")
        for n in rows:
            body = "\n\n".join(
                part
                for part in (
                    n.text,
                    f"{base}{n.url}" if n.url else "",
                    _("This reminder was sent by Liangxin; sign in to see the supervision list."),
                )
                if part
            )
            message = EmailMessage(
                subject=f"{subject_prefix} {n.text}"[:200],
                body=body,
                to=[n.user.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception:  # a mail server refusing one address must not stop the others
                logger.exception("Could not e-mail notification %s to user %s", n.pk, n.user_id)
                continue
            Notification.objects.filter(pk=n.pk).update(emailed=True)
            sent += 1
    return sent


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionDenied(_("This is someone else's notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
