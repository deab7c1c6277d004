"""Milestones: the events that say the incident began, was detected, mitigated or resolved.

Milestone words are read in every language of the vocabulary.

A milestone is marked on its first event only, and only in begins → detected → mitigated →
resolved order; a status page's state at the start of an update ("Investigating",
"Monitoring") names the milestone it reached.
"""

from __future__ import annotations

import re
from dataclasses import replace

from generator.models import Phase, TimelineEvent
from generator.parse.document import Part
from generator.parse.text import plain_text

_PHASE_PATTERNS = (
    (
        Phase.BEGINS,
        r"\b(?:outage|incident|impact|failures?|errors?|problems?|issues?|degradation|downtime)"
        r"\s+(?:begins?|began|starts?|started)\b|\bstart of (?:the )?(?:outage|incident|impact)"
        r"|\bfault occurs\b|\b(?:began|begins|begin|started|starts) (?:to )?(?:crash\w*|fail\w*"
        r"|degrad\w*|error\w*|throw\w*|timing out|time out|returning|dropping)"
        r"|\bfirst (?:recorded )?(?:instance|sign|occurrence)s? of\b|障害発生|故障发生|故障發生"
        r"|开始出现|開始出現|장애 ?발생|장애 ?시작|störung beginnt|ausfall beginnt"
        r"|beginn (?:der|des) (?:störung|ausfalls)|début de (?:l'incident|la panne)"
        r"|(?:inicio|comienzo|início) (?:del|do) (?:incidente|fallo|problema)"
        r"|panne commence|comienza (?:el|la) (?:incidente|caída)",
    ),
    (
        Phase.DETECTED,
        r"\b(?:detected|detection|noticed|notices|notice|alerted|discovered|paged|realized|realised"
        r"|first report(?:ed|s)?|reported by|reports? (?:on|in|that|the|an|a)\b"
        r"|incident declared(?! resolved)|declared (?:an |the )?incident|warning from"
        r"|alerts? (?:fired|triggered)|acknowledged (?:the )?incident"
        r"|(?:problem|issue|outage) (?:is |was )?identified)\b|検知|発覚|发现|發現|检测到"
        r"|檢測到|告警|报警|報警|감지|탐지|인지|발견|알림 수신|\b(?:erkannt|bemerkt|entdeckt"
        r"|alarmiert|détecté|détection|alerte|detectad[oa]|detectamos|detección|alerta"
        r"|detetad[oa]|detecção)\b",
    ),
    (
        Phase.MITIGATED,
        r"\b(?:mitigated|mitigation|rolled back|rollback completed?|reverted|workaround|repaired"
        r"|service (?:is |was )?restored|temporarily fix(?:ed|ing)|failed over|running again)\b"
        r"|暫定対応|緩和|缓解|回滚|回滾|临时修复|臨時修復|완화|롤백|임시 조치|\b(?:gemildert"
        r"|zurückgerollt|zurückgesetzt|atténu\w*|contourn\w*|retour arrière|mitigad\w*"
        r"|revertid\w*|mitigação|revertemos)\b",
    ),
    (
        Phase.RESOLVED,
        r"\b(?:resolved|declared resolved|resolution (?:is )?confirmed|outage ends"
        r"|outage is over|incident (?:closed|ends|is over)|fully recovered"
        r"|all (?:systems|services) (?:are )?(?:verified )?(?:operational|healthy)"
        r"|back to (?:normal|usual)|returned to normal|once again|end of (?:the )?outage"
        r"|outage to an end|fix (?:is |was )?(?:implemented|deployed|merged|rolled out))\b"
        r"|復旧|解決|恢复|恢復|解决|已修复|已修復|복구|해결|정상화|\b(?:behoben"
        r"|wiederhergestellt|gelöst|résolu\w*|rétabli\w*|resuelt[oa]|restablecid[oa]"
        r"|resolvid[oa]|restabelecid[oa]|normalizad[oa])\b",
    ),
)
_PHASES = tuple((phase, re.compile(pattern, re.IGNORECASE)) for phase, pattern in _PHASE_PATTERNS)
_NEGATED = re.compile(r"\b(?:no|not|never|without|n't)\b[^.,;:]*$", re.IGNORECASE)
_PHASE_ORDER = {phase: rank for rank, phase in enumerate(Phase)}
_ROOT_CAUSE_FOUND = re.compile(r"root cause|原因特定", re.IGNORECASE)
_STATUS_PHASES = (
    (Phase.DETECTED, re.compile(r"^\W*investigating\b", re.IGNORECASE)),
    (Phase.MITIGATED, re.compile(r"^\W*monitoring\b", re.IGNORECASE)),
)
_ANY_TEXT = (_STATUS_PHASES, _PHASES, _NEGATED, _ROOT_CAUSE_FOUND)
# The same, for ASCII text lower-cased once (the patterns are written in lower case): matched
# without IGNORECASE, twice as fast. Other text keeps IGNORECASE, which folds a few letters
# ("İ", "ſ") otherwise than lower().
_ASCII_TEXT = (
    tuple((phase, re.compile(pattern.pattern)) for phase, pattern in _STATUS_PHASES),
    tuple((phase, re.compile(pattern.pattern)) for phase, pattern in _PHASES),
    re.compile(_NEGATED.pattern),
    re.compile(_ROOT_CAUSE_FOUND.pattern),
)


def find_phase(text: str) -> Phase | None:
    """Return the milestone an event's text names first, if any."""
    plain = plain_text(text)
    ascii_text = plain.isascii()
    statuses, phases, negated, root_cause = _ASCII_TEXT if ascii_text else _ANY_TEXT
    if ascii_text:
        plain = plain.lower()
    for phase, pattern in statuses:
        if pattern.match(plain):
            return phase
    found: tuple[int, Phase] | None = None
    for phase, pattern in phases:
        match = pattern.search(plain)
        if match is None:
            continue
        if phase is Phase.DETECTED and root_cause.search(plain[: match.end() + 12]):
            continue  # "root cause identified" is diagnosis, not detection
        if negated.search(plain[max(0, match.start() - 40) : match.start()]):
            continue  # "no loss of service has been detected"
        if found is None or match.start() < found[0]:
            found = (match.start(), phase)
    return found[1] if found else None


def milestones_once(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """Keep each milestone on its first event only, and only in begins→resolved order.

    "Discovered we can force-delete pods" after the detection is investigation, and a
    "resolved" before anything began is a summary line, not a milestone.
    """
    seen: set[Phase] = set()
    highest = -1
    kept = []
    for event in events:
        phase = event.phase
        if phase is not None:
            rank = _PHASE_ORDER[phase]
            if phase in seen or rank < highest:
                kept.append(replace(event, phase=None))
                continue
            seen.add(phase)
            highest = rank
        kept.append(event)
    return kept


_KEY_EVENTS = 8


def without_key_event_repeats(
    groups: list[tuple[Part, list[TimelineEvent]]], body_line: int
) -> list[TimelineEvent]:
    """Return the events of every timeline section, a short summary's repeats left out.

    A "Key events" list of a few timed milestones often comes before the detailed timeline that
    has the same moments again. An entry of the summary is a repeat when a later event has its
    moment and its milestone (or it names none): the detailed entry stays the event, and the
    summary's line stays in its section as written.
    """
    result: list[TimelineEvent] = []
    for index, (part, events) in enumerate(groups):
        later: dict[object, set[Phase | None]] = {}
        for _, others in groups[index + 1 :]:
            for event in others:
                later.setdefault(event.at, set()).add(event.phase)
        repeated = [
            event
            for event in events
            if event.at is not None
            and event.at in later
            and (event.phase is None or event.phase in later[event.at])
        ]
        if (
            not part.inherited  # one heading per timestamp repeats moments on purpose
            and 2 <= len(events) <= _KEY_EVENTS
            and all(event.at is not None for event in events)
            and len(repeated) * 2 >= len(events)
        ):
            lines = {event.line - body_line for event in repeated}
            part.consumed = [span for span in part.consumed if span[0] not in lines]
            result.extend(event for event in events if event not in repeated)
        else:
            result.extend(events)
    return result
