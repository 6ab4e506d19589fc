"""Writes of the dispatch loop: the reporting calendar, indicator profiles and trajectories, and
submissions with their review. Supervision and problems live in their own modules of this package."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.plans.models import Indicator, Plan

from ..enums import Curve, PeriodState, SubmissionState
from ..feeds import FEEDS
from ..models import (
    EntryAttachment,
    IndicatorEntry,
    IndicatorProfile,
    Period,
    ReportingCalendar,
    Submission,
    SubmissionVersion,
    TaskEntry,
    TaskProfile,
    TrajectoryVersion,
)
from ..periods import period_spans


class DispatchError(Exception):
    """A rule of the dispatch loop was broken; the message is for the user."""


CALENDAR_FIELDS = (
    "cadence",
    "deadline_days",
    "first_year",
    "last_year",
    "normal_pct",
    "warning_pct",
    "approx_tolerance_pct",
    "weight_on_time",
    "weight_indicators",
    "weight_tasks",
)


@transaction.atomic
def calendar_set(*, actor, plan: Plan, **fields) -> ReportingCalendar:
    """Set a plan's reporting calendar and generate its periods.

    Periods are regenerated when the cadence or the years change; that is refused once any
    period that would disappear has submissions. Due dates follow the deadline rule.
    """
    unknown = set(fields) - set(CALENDAR_FIELDS)
    if unknown:
        raise DispatchError(_("Unknown calendar settings: %s") % ", ".join(sorted(unknown)))
    cal = ReportingCalendar.objects.filter(plan=plan).first() or ReportingCalendar(plan=plan)
    before = snapshot(cal) if cal.pk else None
    for name, value in fields.items():
        setattr(cal, name, value)
    cal.full_clean()
    if cal.weight_on_time + cal.weight_indicators + cal.weight_tasks != 100:
        raise ValidationError({"weight_tasks": _("The three weights must add up to 100.")})
    cal.save()
    _sync_periods(cal)
    for indicator in plan.indicators.all():
        profile_ensure(indicator=indicator)
    audit_record(actor=actor, action="dispatch.calendar_set", instance=cal, before=before, after=snapshot(cal))
    return cal


def _sync_periods(cal: ReportingCalendar) -> None:
    wanted = {span.start: span for span in period_spans(cal.cadence, cal.first_year, cal.last_year)}
    existing = {p.start: p for p in Period.objects.filter(plan=cal.plan)}
    stale = [p for start, p in existing.items() if start not in wanted or wanted[start].end != p.end]
    if Submission.objects.filter(period__in=stale).exists():
        raise DispatchError(
            _("Units have already reported for periods this change would remove; keep the cadence and years.")
        )
    Period.objects.filter(pk__in=[p.pk for p in stale]).delete()
    delay = datetime.timedelta(days=cal.deadline_days)
    for start, span in wanted.items():
        period = existing.get(start)
        if period is None or period in stale:
            Period.objects.create(plan=cal.plan, label=span.label, start=span.start, end=span.end, due=span.end + delay)
        elif period.due != span.end + delay or period.label != span.label:
            period.due, period.label = span.end + delay, span.label
            period.save(update_fields=["due", "label"])


@transaction.atomic
def periods_open_until(*, actor, plan: Plan, today: datetime.date) -> int:
    """Open every planned period that has started by today; returns how many were opened."""
    rows = Period.objects.filter(plan=plan, state=PeriodState.PLANNED, start__lte=today)
    count = rows.update(state=PeriodState.OPEN)
    if count:
        audit_record(
            actor=actor, action="dispatch.periods_open", instance=plan, after={"opened": count, "until": str(today)}
        )
    return count


@transaction.atomic
def period_set_state(*, actor, period: Period, state: str) -> Period:
    if state not in PeriodState.values:
        raise DispatchError(_("Unknown period state %s.") % state)
    before = snapshot(period)
    period.state = state
    period.save(update_fields=["state"])
    audit_record(actor=actor, action="dispatch.period_state", instance=period, before=before, after=snapshot(period))
    return period


def profile_ensure(*, indicator: Indicator) -> IndicatorProfile:
    """The indicator's profile, created with the kind guessed from the table, and trajectory v1."""
    from ..assess import default_profile

    profile = IndicatorProfile.objects.filter(indicator=indicator).first()
    if profile is None:
        profile = default_profile(indicator)
        profile.full_clean()
        profile.save()
    if not TrajectoryVersion.objects.filter(indicator=indicator).exists():
        TrajectoryVersion.objects.create(
            indicator=indicator, version=1, curve=Curve.LINEAR, reason=_("Linear within each year (default).")
        )
    return profile


@transaction.atomic
def profile_set(*, actor, indicator: Indicator, **fields) -> IndicatorProfile:
    """Change how an indicator is measured; `source` (a feed key, or "") makes the platform measure it."""
    profile = profile_ensure(indicator=indicator)
    before = snapshot(profile)
    for name in ("kind", "aggregation", "direction"):
        if name in fields:
            setattr(profile, name, fields[name])
    if "source" in fields:
        source = fields["source"] or ""
        if source and source not in FEEDS:
            raise ValidationError({"source": _("There is no data source %(key)s.") % {"key": source}})
        profile.source = source
        if source:
            # A fed indicator is measured the way its feed counts, whatever was chosen before.
            profile.kind = FEEDS[source].kind
    profile.full_clean()
    profile.save()
    audit_record(actor=actor, action="dispatch.profile_set", instance=profile, before=before, after=snapshot(profile))
    return profile


@transaction.atomic
def trajectory_change(
    *, actor, indicator: Indicator, curve: str, reason: str, monthly_shares: list | None = None
) -> TrajectoryVersion:
    """A new version of the indicator's expected path; the old ones stay, with their reasons."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the trajectory changes.")})
    if curve == Curve.CUSTOM:
        if not monthly_shares or len(monthly_shares) != 12:
            raise ValidationError({"monthly_shares": _("Give twelve monthly shares for a custom curve.")})
        shares = [float(s) for s in monthly_shares]
        if (
            any(b < a for a, b in zip(shares, shares[1:], strict=False))
            or not 0 <= shares[0]
            or abs(shares[-1] - 1) > 1e-9
        ):
            raise ValidationError(
                {"monthly_shares": _("The shares must rise month by month from 0 and reach 1 in December.")}
            )
        monthly_shares = [str(s) for s in monthly_shares]
    else:
        monthly_shares = None
    last = TrajectoryVersion.objects.filter(indicator=indicator).order_by("-version").first()
    version = TrajectoryVersion(
        indicator=indicator,
        version=(last.version + 1) if last else 1,
        curve=curve,
        monthly_shares=monthly_shares,
        reason=reason.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.full_clean()
    version.save()
    audit_record(actor=actor, action="dispatch.trajectory_change", instance=version, after=snapshot(version))
    return version


@transaction.atomic
def task_due_set(*, actor, task, due_on: datetime.date | None) -> TaskProfile:
    profile, _created = TaskProfile.objects.get_or_create(task=task)
    before = snapshot(profile)
    profile.due_on = due_on
    profile.save(update_fields=["due_on"])
    audit_record(actor=actor, action="dispatch.task_due", instance=profile, before=before, after=snapshot(profile))
    return profile


# --- submissions -------------------------------------------------------------------------------


@transaction.atomic
def submission_open(*, actor, period: Period, unit) -> Submission:
    """The unit's submission for the period, created as a draft the first time."""
    from ..selectors import owed_by_unit

    if period.state != PeriodState.OPEN:
        raise DispatchError(_("Period %s is not open for reporting.") % period.label)
    indicators, tasks = owed_by_unit(unit=unit, plan=period.plan)
    if not indicators and not tasks:
        raise DispatchError(_("%(unit)s owes nothing in %(plan)s.") % {"unit": unit.name, "plan": period.plan.title})
    submission, created = Submission.objects.get_or_create(period=period, unit=unit)
    if created:
        IndicatorEntry.objects.bulk_create([IndicatorEntry(submission=submission, indicator=i) for i in indicators])
        TaskEntry.objects.bulk_create([TaskEntry(submission=submission, task=t) for t in tasks])
        audit_record(actor=actor, action="dispatch.submission_open", instance=submission, after=snapshot(submission))
    return submission


def _require_editable(submission: Submission) -> None:
    if submission.state not in (SubmissionState.DRAFT, SubmissionState.RETURNED):
        raise DispatchError(
            _("This report is %s; it can be changed only while it is a draft or after it was returned.")
            % submission.get_state_display()
        )
    if submission.period.state != PeriodState.OPEN:
        raise DispatchError(_("Period %s is closed.") % submission.period.label)


@transaction.atomic
def submission_save(*, actor, submission: Submission, indicators: dict | None = None, tasks: dict | None = None):
    """Save a draft: indicators {indicator_id: {value, grade, evidence}}, tasks {task_id: {progress,
    progress_note, problems, next_steps}}. Entries the unit does not owe are refused."""
    _require_editable(submission)
    entries = {e.indicator_id: e for e in submission.indicator_entries.all()}
    task_entries = {e.task_id: e for e in submission.task_entries.all()}
    changed = {}
    for indicator_id, values in (indicators or {}).items():
        entry = entries.get(int(indicator_id))
        if entry is None:
            raise DispatchError(_("Indicator %s is not one this unit reports on.") % indicator_id)
        for name in ("value", "grade", "evidence"):
            if name in values:
                setattr(entry, name, values[name] if values[name] != "" or name == "evidence" else None)
        entry.full_clean(exclude=["submission", "indicator"])
        entry.save()
        changed[f"indicator:{indicator_id}"] = {k: str(v) for k, v in values.items()}
    for task_id, values in (tasks or {}).items():
        entry = task_entries.get(int(task_id))
        if entry is None:
            raise DispatchError(_("Task %s is not one this unit reports on.") % task_id)
        for name in ("progress", "progress_note", "problems", "next_steps"):
            if name in values:
                setattr(entry, name, values[name] or "")
        entry.full_clean(exclude=["submission", "task"])
        entry.save()
        changed[f"task:{task_id}"] = values
    submission.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="dispatch.submission_save", instance=submission, after=changed)
    return submission


def submission_snapshot(submission: Submission) -> dict:
    return {
        "indicators": [
            {
                "indicator": e.indicator_id,
                "name": e.indicator.name,
                "value": None if e.value is None else str(e.value),
                "grade": e.grade,
                "evidence": e.evidence,
                "attachments": [a.name for a in e.attachments.all()],
            }
            for e in submission.indicator_entries.select_related("indicator").prefetch_related("attachments")
        ],
        "tasks": [
            {
                "task": e.task_id,
                "title": e.task.title,
                "progress": e.progress,
                "progress_note": e.progress_note,
                "problems": e.problems,
                "next_steps": e.next_steps,
            }
            for e in submission.task_entries.select_related("task")
        ],
    }


def _record_version(submission: Submission, *, actor, comment: str = "") -> None:
    SubmissionVersion.objects.create(
        submission=submission,
        version=submission.version,
        state=submission.state,
        snapshot=submission_snapshot(submission),
        comment=comment,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def submission_submit(*, actor, submission: Submission, now: datetime.datetime | None = None) -> Submission:
    """Send the report to the office. Lateness is recorded against the period's due date."""
    _require_editable(submission)
    missing = [
        e.indicator.name
        for e in submission.indicator_entries.select_related("indicator", "indicator__profile")
        if e.value is None and e.grade is None
    ]
    no_status = [e.task.title for e in submission.task_entries.select_related("task") if not e.progress]
    if missing or no_status:
        raise DispatchError(
            _("Fill in every item before submitting. Missing: %s") % "、".join([*missing, *no_status][:8])
        )
    now = now or timezone.now()
    before = snapshot(submission)
    submission.state = SubmissionState.SUBMITTED
    submission.version += 1
    submission.submitted_at = now
    submission.late = timezone.localtime(now).date() > submission.period.due
    submission.full_clean()
    submission.save()
    _record_version(submission, actor=actor)
    audit_record(
        actor=actor, action="dispatch.submission_submit", instance=submission, before=before, after=snapshot(submission)
    )
    return submission


@transaction.atomic
def submission_review(*, actor, submission: Submission, approve: bool, comment: str = "") -> Submission:
    """The office approves a submitted report or returns it with a comment saying what to fix."""
    if submission.state != SubmissionState.SUBMITTED:
        raise DispatchError(
            _("Only a submitted report can be reviewed; this one is %s.") % submission.get_state_display()
        )
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what the unit should change.")})
    before = snapshot(submission)
    submission.state = SubmissionState.APPROVED if approve else SubmissionState.RETURNED
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment.strip()
    submission.save()
    _record_version(submission, actor=actor, comment=comment.strip())
    audit_record(
        actor=actor,
        action="dispatch.submission_" + ("approve" if approve else "return"),
        instance=submission,
        before=before,
        after=snapshot(submission),
    )
    return submission


@transaction.atomic
def entry_attach(*, actor, submission: Submission, indicator_id: int, upload) -> EntryAttachment:
    _require_editable(submission)
    entry = submission.indicator_entries.filter(indicator_id=indicator_id).first()
    if entry is None:
        raise DispatchError(_("Indicator %s is not one this unit reports on.") % indicator_id)
    attachment = EntryAttachment(entry=entry, name=upload.name[-255:])
    attachment.file.save(upload.name[-100:], upload, save=False)
    attachment.save()
    audit_record(actor=actor, action="dispatch.evidence_attach", instance=attachment, after=snapshot(attachment))
    return attachment
