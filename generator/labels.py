"""Labels: how the models' values are shown to readers (a status, an action item's state).

One wording for the whole site: the pages, the search results and the feed all read them here.
"""

from __future__ import annotations

from generator.models import ActionState, LessonKind, Status

STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.IN_REVIEW: "In review",
    Status.OPEN: "Open",
    Status.MONITORING: "Monitoring",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
    Status.UNKNOWN: "Unknown",
}
"""How each status is shown."""

ACTION_STATE_LABELS = {
    ActionState.OPEN: "Open",
    ActionState.IN_PROGRESS: "In progress",
    ActionState.DONE: "Done",
    ActionState.NOT_DOING: "Not doing",
}
"""How each action-item state is shown."""

LESSON_KIND_LABELS = {
    LessonKind.LEARNED: "Lesson",
    LessonKind.WENT_WELL: "Went well",
    LessonKind.WENT_WRONG: "Went wrong",
    LessonKind.LUCKY: "Lucky",
}
"""How each kind of lesson is labelled."""
