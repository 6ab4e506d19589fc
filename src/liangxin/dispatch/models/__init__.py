from .calendar import Period, ReportingCalendar
from .problems import Problem
from .profiles import IndicatorProfile, TaskProfile, TrajectoryVersion
from .submissions import EntryAttachment, IndicatorEntry, Submission, SubmissionVersion, TaskEntry
from .supervision import Notification, SupervisionItem

__all__ = [
    "EntryAttachment",
    "IndicatorEntry",
    "IndicatorProfile",
    "Notification",
    "Period",
    "Problem",
    "ReportingCalendar",
    "Submission",
    "SubmissionVersion",
    "SupervisionItem",
    "TaskEntry",
    "TaskProfile",
    "TrajectoryVersion",
]
