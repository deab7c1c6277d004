"""Action-item fields: what an item's text says about its owner, dates, priority, ticket and kind.

Each reader finds one field in an item's Markdown (``@alice``, ``owner: Bob``, ``due 2026-07-01``,
``done on Jul 2, 2026``, ``**high**``, ``P1``, ``[#123]``, ``JIRA-42``) and gives None when the text
does not say; text inside code never counts.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.models import ActionKind
from generator.parse.text import plain_text
from generator.parse.times import parse_date

_PRIORITY = re.compile(
    r"\*\*(?P<bold>critical|urgent|high|medium|low)\*\*"
    r"|(?<![\w-])(?P<p>P[0-4])(?![\w-])"
    r"|\[(?P<bracket>critical|high|medium|low)\]"
    r"|\bpriority\s*[:=]?\s*(?P<named>critical|high|medium|low|p[0-4])\b"
    r"|\((?P<paren>critical|high|medium|low)(?: priority)?\)",
    re.IGNORECASE,
)
_OWNER = re.compile(
    r"(?<![\w/@.])@(?P<handle>[A-Za-z0-9][\w.-]*[A-Za-z0-9_])"
    r"|\b(?:owner|assignee|assigned to)\s*[:=]\s*(?P<named>[^,;)\]\n]+)",
    re.IGNORECASE,
)
_DUE = re.compile(
    r"\b(?:due|deadline|eta|by)\s*[:=]?\s*(?P<date>\d{4}-\d{1,2}-\d{1,2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:,? \d{4})?)",
    re.IGNORECASE,
)
# "done 2026-07-02", "(completed on Jul 2, 2026)", "closed: 2026-07-02": when a done item was done.
_DONE_ON = re.compile(
    r"\b(?:done|completed?|closed|fixed|finished|shipped|merged|landed)\s*(?:on|in|at)?\s*[:=]?\s*"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4})",
    re.IGNORECASE,
)
_TICKET = re.compile(
    r"\[(?P<ref>#\d+)\]"
    r"|\((?P<url>https?://[^)\s]+/(?:issues|pull|pulls|browse|tickets?|merge_requests)/[^)\s]+)\)"
    r"|(?<![\w&/#])(?P<hash>#\d{2,})\b"
    r"|\b(?P<jira>[A-Z][A-Z0-9]{1,9}-\d+)\b"
    r"|\b[Bb]ug:?\s*(?P<bug>\d{4,})\b",
)

_KIND_WORDS: tuple[tuple[ActionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (ActionKind.PREVENT, r"prevent|予防|再発防止"),
        (ActionKind.DETECT, r"detect|monitor|alert|検知|監視"),
        (ActionKind.MITIGATE, r"mitigat|repair|recover|緩和|軽減"),
        (ActionKind.PROCESS, r"process|documentation|プロセス|手順"),
    )
)
_LABELLED_TICKET = re.compile(
    r"\[[^\]]*\b(?:issue|bug|ticket|pr|pull request|jira)\b[^\]]*\]\((?P<url>[^)\s]+)\)", re.I
)
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)


def _strip_code(markdown: str) -> str:
    """Return Markdown without code: ``owner: string`` in a code sample names nobody."""
    return _CODE.sub(" ", markdown)


def read_owner(markdown: str) -> str | None:
    """Return who owns an item (``@handle`` or ``owner: name``), if its text says."""
    match = _OWNER.search(_strip_code(markdown))
    if match is None:
        return None
    if match.group("handle"):
        return "@" + match.group("handle")
    return plain_text(match.group("named")).strip() or None


def read_due(markdown: str) -> dt.date | None:
    """Return an item's due date (``due 2026-07-01``, ``by Jul 1``), if its text says."""
    match = _DUE.search(_strip_code(markdown))
    return parse_date(match.group("date")) if match else None


def read_done_on(markdown: str) -> dt.date | None:
    """Return the day a done item was done (``completed on Jul 2, 2026``), if its text says."""
    match = _DONE_ON.search(_strip_code(markdown))
    return parse_date(match.group("date")) if match else None


def read_priority(markdown: str) -> str | None:
    """Return an item's priority (``**high**``, ``P1``, ``[low]``), if its text says."""
    match = _PRIORITY.search(_strip_code(markdown))
    if match is None:
        return None
    return normalize_priority(next(group for group in match.groups() if group))


def normalize_priority(text: str) -> str | None:
    """Return a priority as pmkb writes it: ``P1``, a priority word, else the text as written."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[Pp][0-4]", text):
        return text.upper()
    lowered = text.lower()
    for word in ("critical", "urgent", "high", "medium", "low"):
        if word in lowered:
            return word
    return text


def read_ticket(markdown: str) -> str | None:
    """Return the ticket an item names: a link labelled as one first, else the first id."""
    prose = _strip_code(markdown)
    labelled = _LABELLED_TICKET.search(prose)
    if labelled:
        return labelled.group("url")
    match = _TICKET.search(prose)
    if match is None:
        return None
    return next(group for group in match.groups() if group)


def read_kind(text: str) -> ActionKind | None:
    """Return the kind of work a text names (prevent, detect, mitigate, process), if any."""
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return None
