"""Plausible reports for a demo plan: every unit reporting month by month, marked as demo data.

Values follow the plan's own trajectory with noise: levels near the 序时进度, cumulative and
yearly amounts as a twelfth of the year's step shared by the indicator's units, judged grades near
what is due; tasks mostly in progress; one report in ten late. The same generator feeds
`liangxin demo --with-reports` and the benchmarks, so what people see is what is measured.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from liangxin.plans.enums import AssignmentRole
from liangxin.plans.models import Assignment

from . import assessment as maths
from .enums import IndicatorKind, SubmissionState
from .models import IndicatorEntry, Submission, SubmissionVersion, TaskEntry

_NOTES = [
    ("按计划推进，已召开专题推进会", "", "继续跟踪项目进度"),
    ("已完成摸底调查，建立工作台账", "部分企业更新意愿不足", "开展政策宣讲，推动签约"),
    ("组织企业申报专项资金", "项目前期手续办理周期较长", "协调审批部门加快办理"),
    ("开展以旧换新促销活动", "", "扩大参与商户范围"),
]


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def generate_reports(plan, *, until: datetime.date, rng: random.Random, reviewer=None) -> int:
    """One report per owing unit for each period that ended by `until`; returns how many.

    All are approved by `reviewer` except the latest period's, which wait for review.
    """
    from .assess import _PlanData

    data = _PlanData(plan, None)
    owed: dict[int, tuple[list[int], list[int]]] = {}
    sharing: dict[int, int] = {}
    for a in Assignment.objects.filter(plan=plan, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE]):
        indicators, tasks = owed.setdefault(a.unit_id, ([], []))
        if a.indicator_id:
            indicators.append(a.indicator_id)
            sharing[a.indicator_id] = sharing.get(a.indicator_id, 0) + 1
        elif a.task_id:
            tasks.append(a.task_id)
    bounds = {pk: maths.year_bounds(spec, maths.milestone_levels(spec)) for pk, spec in data.specs.items()}
    cal = data.calendar
    done = [i for i, p in enumerate(data.periods) if p.end <= until]
    progress = ["in_progress"] * 5 + ["done", "not_started", "lagging"]
    entries_i, entries_t, versions, count = [], [], [], 0
    for i in done:
        period = data.periods[i]
        year, share = data.years[i], data.shares[i]
        latest = i == done[-1]
        for unit_id, (indicators, tasks) in owed.items():
            late = rng.random() < 0.1
            sub = Submission.objects.create(
                period=period,
                unit_id=unit_id,
                state=SubmissionState.SUBMITTED if latest else SubmissionState.APPROVED,
                version=1,
                submitted_at=_aware(period.due + datetime.timedelta(days=2 if late else -1), 10),
                late=late,
                reviewed_by=None if latest else reviewer,
                reviewed_at=None if latest else _aware(period.due + datetime.timedelta(days=3), 16),
                is_demo=True,
            )
            count += 1
            for pk in indicators:
                spec, noise = data.specs[pk], Decimal(rng.randint(88, 108)) / 100
                value = grade = None
                if spec.kind == IndicatorKind.QUALITATIVE:
                    due = maths.qualitative_expected_grade(
                        maths.plan_share(period.end, cal.cadence, cal.first_year, cal.last_year)
                    )
                    grade = max(0, min(3, due + rng.choice([-1, 0, 0])))
                elif year in bounds[pk]:
                    start, target = bounds[pk][year]
                    if spec.kind == IndicatorKind.LEVEL:
                        value = (maths.expected_value(spec, bounds[pk], year, share) or target) * noise
                    else:
                        step = target - (start or 0) if spec.kind == IndicatorKind.CUMULATIVE else target
                        value = step / 12 / sharing[pk] * noise
                    value = value.quantize(Decimal("0.01"))
                entries_i.append(
                    IndicatorEntry(submission=sub, indicator_id=pk, value=value, grade=grade, evidence="统计台账")
                )
            for pk in tasks:
                note, problem, step = rng.choice(_NOTES)
                entries_t.append(
                    TaskEntry(
                        submission=sub,
                        task_id=pk,
                        progress=rng.choice(progress),
                        progress_note=note,
                        problems=problem,
                        next_steps=step,
                    )
                )
            versions.append(SubmissionVersion(submission=sub, version=1, state=sub.state, snapshot={"demo": True}))
    IndicatorEntry.objects.bulk_create(entries_i, batch_size=1000)
    TaskEntry.objects.bulk_create(entries_t, batch_size=1000)
    SubmissionVersion.objects.bulk_create(versions, batch_size=1000)
    return count
