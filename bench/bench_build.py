"""Benchmark: building a knowledge base of 1,000 postmortems, against a plain MkDocs build.

Run by hand (never by the tests): ``python bench/bench_build.py [--postmortems N] [--rounds R]
[--keep DIR] [--profile]``.

It generates N realistic postmortems (default 1,000) of 6-8 KB each (the issue's size; the
seed is 4.8 KB) into a temporary knowledge base, in the shapes the example knowledge base uses:
the seed's (summary, a long numbered timeline, bold-label mistakes, impact lists and a table,
root causes, lessons, grouped checkboxes), Google SRE (tables for impact, timeline and action
items, prose sections), one heading per timestamp with numbered action items, and a narrative
one (prose, a bullet timeline, a metrics table); each has prose paragraphs filled to a size
drawn between 6 and 8 KB (in summaries and narrative sections: root causes and lessons stay
short, as in the seed, so that the shared sentences do not make every incident re-learn the same
lessons). Titles, dates, services, tags, owners, due dates, lessons (many shared
between incidents) and done/open items vary. Then, in the same
run and alternating rounds, it times two ``mkdocs build`` commands, each in its own process:

- ``pmkb``: the knowledge base as a user builds it: the repository's ``mkdocs.yml`` and ``docs/``
  with the ``postmortems`` plugin on (incident pages, index, lessons, actions, services, tags);
- ``plain``: the same theme, extensions and plugins but without ``postmortems``, the same N files
  copied into ``docs/postmortems/`` as ordinary pages, the nav listing only the hand-written
  pages (as pmkb's does).

It prints the best time of each and the ratio (target: pmkb adds at most 25%). ``--profile``
then runs the pmkb build once more in this process under cProfile and prints where the time goes
(the top functions by cumulative time, pmkb's own first).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
TARGET = 1.25
"""pmkb's build may take at most this many times the plain build's."""

SERVICES = (
    "checkout-api",
    "postgres-primary",
    "billing-worker",
    "auth-service",
    "edge-proxy",
    "search",
    "import-service",
    "notifications",
    "payments-gateway",
    "ledger",
    "cdn",
    "kafka-cluster",
    "redis-cache",
    "scheduler",
    "reporting",
    "mobile-api",
    "web-frontend",
    "object-storage",
    "dns",
    "identity-provider",
    "feature-flags",
    "metrics-pipeline",
)
TAGS = (
    "database",
    "migration",
    "rollback",
    "deploy",
    "config",
    "capacity",
    "alerting",
    "data",
    "security",
    "credentials",
    "dns",
    "certificates",
    "queue",
    "email",
    "cache",
    "network",
    "third-party",
    "on-call",
    "runbook",
    "kubernetes",
    "autoscaling",
    "latency",
    "billing",
)
PEOPLE = (
    ("Tomás Ferreira", "tomas"),
    ("Hana Okafor", "hana"),
    ("Devin Marsh", "devin"),
    ("Joon Park", "joon"),
    ("Elif Demir", "elif"),
    ("Li Wei", "li.wei"),
    ("Marcus Bell", "marcus"),
    ("Inês Moreira", "ines.m"),
    ("Ren Takahashi", "ren"),
    ("Priya Raman", "priya"),
    ("Amara Osei", "amara"),
    ("Theo Lindqvist", "theo"),
    ("Sofia Rossi", "sofia"),
)
SYMPTOMS = (
    "returned HTTP 500s",
    "timed out",
    "served stale data",
    "dropped messages",
    "double-charged customers",
    "rejected valid logins",
    "stopped processing jobs",
    "ran out of connections",
    "filled its disk",
    "lost its leader",
    "slowed to a crawl",
    "returned empty results",
    "sent duplicate emails",
    "rejected uploads",
)
TRIGGERS = (
    "a config change",
    "a schema migration",
    "a certificate expiry",
    "a traffic spike",
    "a dependency upgrade",
    "a failed deploy",
    "a DNS change",
    "a cache flush",
    "a bulk import",
    "a key rotation",
    "a node replacement",
    "a feature-flag flip",
    "a cron job overlap",
    "a third-party outage",
    "an autoscaler limit",
)
LESSONS = (
    (
        "Roll back first, investigate second",
        "When a change lines up with the errors, undo it before debugging anything else.",
    ),
    ("Test the rollback path", "A rollback that was never rehearsed is a plan, not a safety net."),
    (
        "Connection limits are a shared budget",
        "Every service that shares a database spends from the same connection limit.",
    ),
    (
        "Alert on symptoms, not causes",
        "The page should fire on what customers feel: errors, latency, empty results.",
    ),
    (
        "Canary every config change",
        "Activating a change on a small slice of traffic first shows its failure on 5% of users.",
    ),
    (
        "Search strings, not just symbols",
        "Raw SQL, templates and scripts read names that a symbol search never finds.",
    ),
    (
        "Runbooks need a verification step that can fail",
        "A check that passes with the old state proves nothing about the new one.",
    ),
    (
        "Make scheduled jobs refuse to run on a newer schema",
        "A nightly job eleven hours after a deploy finds problems far from their cause.",
    ),
    ("Know your cache TTLs", "Long-lived caches turn a five-minute change into a six-hour outage."),
    ("Page the owning team directly", "Tickets routed by symptom reach the wrong team first."),
    (
        "Capacity limits need alerts before they bind",
        "An autoscaling ceiling that is reached silently becomes an outage.",
    ),
    (
        "Keep the previous version around",
        "Deleting the old index, image or key immediately removes the fastest way back.",
    ),
    (
        "Secrets in logs are secrets leaked",
        "Masking only hides exact values; transformed secrets print in clear.",
    ),
    (
        "Write the timeline while it happens",
        "A scribe saves an hour of reconstruction and catches the decision points.",
    ),
    (
        "Small batches fail small",
        "Bulk operations should be chunked so one bad batch does not block all the rest.",
    ),
)
LUCKY = (
    "It happened during business hours with the whole team online.",
    "The previous release was still cached on every node.",
    "A customer reported it before the nightly batch amplified it.",
    "Traffic was at its weekly low.",
)
WELL = (
    "The alert fired within minutes and reached the right team.",
    "Customer communications went out before most tickets arrived.",
    "The rollback was scripted and took two minutes.",
    "Responders handed over cleanly between time zones.",
)
ACTIONS = (
    "Add an alert on the {metric} of {service}",
    "Write a runbook section for {trigger} on {service}",
    "Add a canary stage to {service}'s deploy pipeline",
    "Cap {service}'s connection pool and document the shared budget",
    "Rehearse the rollback of {service} in staging with production-sized data",
    "Make {service} fail loudly instead of skipping on {trigger}",
    "Add a dashboard panel for {metric} next to the deploy markers",
    "Review every consumer of {service} before the next {trigger}",
    "Move {service}'s scheduled job out of the backup window",
    "Load-test {service} at twice last year's peak",
)
METRICS = (
    "error rate",
    "p99 latency",
    "queue age",
    "zero-result rate",
    "connection count",
    "disk usage",
    "consumer lag",
    "cache hit ratio",
    "failed logins",
    "job failures",
)
REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1", "ap-northeast-1")
STATUSES = ("resolved", "closed", "monitoring", "open", "in_review", "draft")
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV3", "SEV4")


SENTENCES = (
    "{service} had run without a change for months, which made {trigger} look harmless.",
    "The first responders spent {minutes} minutes on {other}, whose graphs looked just as bad.",
    "Nobody on the call knew that {service} reads the same setting at start-up only.",
    "{person} pointed out that the {metric} had started to climb before anyone was paged.",
    "The runbook for {service} described a version of the system that no longer exists.",
    "About {percent}% of requests failed at the peak, and retries made the load worse.",
    "Clients retried with no back-off, so {count} requests a second reached {service}.",
    "The change had been reviewed, but the review looked at the diff and not at its consumers.",
    "Rolling back took {minutes} minutes, most of it waiting for the pipeline's approval step.",
    "Customers saw that {service} {symptom}; internal users noticed later.",
    "The dashboards showed the {metric} of {other} but not of {service}.",
    "{person} had seen a similar pattern in an earlier incident and suggested the rollback.",
    "Because the alert fired on a cause rather than a symptom, it stayed silent for a while.",
    "A staging environment would have caught this only with production-sized data.",
    "The team first assumed a network problem, since {other} was being migrated that week.",
    "Logs from {service} were sampled at {percent}%, which hid the first errors.",
    "The on-call engineer was new to {service} and followed the escalation policy as written.",
    "{trigger} was applied to every region at once instead of one region at a time.",
    "The fix itself was a one-line change; finding it took most of the incident.",
    "Communication with support worked well: a status page update went out within {minutes} "
    "minutes.",
    "{count} customers were affected, most of them on the largest plans.",
    "Nothing in the deploy pipeline checks whether {service} still starts with the new setting.",
    "The incident repeats a pattern: a shared limit changed for one service and felt by another.",
    "Retrospectively, the {metric} graph tells the whole story; at the time it was one of forty.",
)
"""Narrative sentences the generated postmortems' prose is made of."""


class Incident:
    """The random facts one generated postmortem is written from."""

    def __init__(self, rng: random.Random, number: int) -> None:
        self.rng = rng
        start = dt.date(2022, 1, 3)
        self.date = start + dt.timedelta(days=rng.randrange(0, 1780))
        self.services = rng.sample(SERVICES, rng.randint(1, 3))
        self.tags = rng.sample(TAGS, rng.randint(2, 4))
        self.people = rng.sample(PEOPLE, rng.randint(1, 3))
        self.symptom = rng.choice(SYMPTOMS)
        self.trigger = rng.choice(TRIGGERS)
        self.title = f"{self.services[0]} {self.symptom} after {self.trigger} (#{number})"
        self.status = rng.choice(STATUSES)
        self.severity = rng.choice(SEVERITIES)
        self.lessons = rng.sample(LESSONS, rng.randint(2, 4))
        self.minutes = rng.randint(12, 300)
        self.customers = rng.randint(3, 40_000)
        self.slug = f"{self.date.isoformat()}-{number:04d}"

    def front_matter(self, *, internal: bool = False) -> str:
        meta: dict[str, object] = {
            "title": self.title,
            "date": self.date,
            "status": self.status,
            "severity": self.severity,
            "services": self.services,
            "tags": self.tags,
            "authors": [name for name, _ in self.people],
        }
        if internal:
            meta["internal"] = True
        if self.rng.random() < 0.3:
            meta["owners"] = [f"@{self.people[0][1]}"]
        dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        return f"---\n{dumped}---\n\n"

    def clock(self, offset: int) -> str:
        base = 9 * 60 + self.rng.randrange(0, 600)
        total = base + offset
        return f"{total // 60 % 24:02d}:{total % 60:02d}"

    def events(self, count: int) -> list[tuple[str, str]]:
        """Return ``count`` timeline entries ``(HH:MM, text)``: detection to resolution."""
        rng, service = self.rng, self.services[0]
        first = [
            f"{self.trigger.capitalize()} reaches {service}; impact starts",
            f"The {rng.choice(METRICS)} alert pages the {service} on-call",
            f"On-call acknowledges and opens #inc-{self.slug}",
        ]
        middle = [
            f"Customers report that {service} {self.symptom}",
            f"Team suspects {rng.choice(SERVICES)} and checks its recent deploys",
            f"{rng.choice(PEOPLE)[0]} joins as incident commander",
            f"Dashboards show the {rng.choice(METRICS)} of {service} at "
            f"{rng.randint(3, 40)}x its baseline",
            f"Support escalates {rng.randint(5, 400)} tickets mentioning {service}",
            f"Status page updated: investigating degraded {service}",
            f"Restarting {rng.choice(self.services)} pods brings no improvement",
            f"{rng.choice(PEOPLE)[0]} finds the first error in the logs, "
            f"{rng.randint(2, 30)} minutes before the alert",
            f"Traffic to {rng.choice(SERVICES)} is shifted to the standby region",
            f"Scaling {service} from {rng.randint(2, 8)} to {rng.randint(10, 40)} replicas; "
            "errors continue",
            f"The {rng.choice(TRIGGERS)[2:]} hypothesis is ruled out",
            f"Someone notices that {self.trigger} went out shortly before the first error",
            f"Incident commander decides to undo {self.trigger}",
            f"Rollback of {self.trigger} starts on one node as a canary",
            "Canary node healthy; rollback continues to all nodes",
            f"Queue of {rng.randint(1, 900)}k pending jobs starts draining",
            f"Mitigated: {service} error rate back under 1%",
        ]
        last = [
            f"Resolved: backlog drained, {self.customers:,} customers affected in total",
            "Status page updated; monitoring continues",
        ]
        wanted = max(3, count)
        # The decision to undo and the mitigation are always told; the rest is a sample.
        kept = {len(middle) - 5, len(middle) - 1}
        room = max(0, wanted - len(first) - len(last))
        others = [n for n in range(len(middle)) if n not in kept]
        chosen = sorted(kept | set(rng.sample(others, max(0, room - len(kept)))))
        body = [middle[n] for n in chosen][:room]
        texts = [*first, *body, *last][:wanted]
        minutes = max(self.minutes, len(texts) + 1)
        offsets = sorted(rng.sample(range(1, minutes), len(texts) - 1))
        base = 9 * 60 + rng.randrange(0, 600)
        stamps = [f"{(base + o) // 60 % 24:02d}:{(base + o) % 60:02d}" for o in [0, *offsets]]
        return list(zip(stamps, texts, strict=True))

    def sentence(self) -> str:
        """Return one sentence of narrative about this incident."""
        rng = self.rng
        template = rng.choice(SENTENCES)
        return template.format(
            service=rng.choice(self.services),
            other=rng.choice(SERVICES),
            trigger=self.trigger,
            symptom=self.symptom,
            metric=rng.choice(METRICS),
            person=rng.choice(PEOPLE)[0],
            minutes=rng.randint(2, 90),
            percent=rng.randint(2, 99),
            count=rng.randint(3, 5000),
        )

    def paragraph(self, sentences: int | None = None) -> str:
        """Return a paragraph of 2-5 narrative sentences."""
        return " ".join(self.sentence() for _ in range(sentences or self.rng.randint(2, 5)))

    def actions(self, count: int) -> list[dict[str, object]]:
        items = []
        for template in self.rng.sample(ACTIONS, count):
            service = self.rng.choice(self.services)
            text = template.format(
                service=service, trigger=self.trigger, metric=self.rng.choice(METRICS)
            )
            owner = self.rng.choice(PEOPLE)[1] if self.rng.random() < 0.75 else None
            due = (
                self.date + dt.timedelta(days=self.rng.randint(14, 180))
                if self.rng.random() < 0.6
                else None
            )
            items.append(
                {
                    "text": text,
                    "done": self.rng.random() < 0.45,
                    "owner": owner,
                    "due": due,
                    "priority": self.rng.choice(("P1", "P2", "P2", "P3")),
                    "ticket": f"OPS-{self.rng.randint(100, 9999)}",
                }
            )
        return items

    def summary(self) -> str:
        return (
            f"For {self.minutes} minutes {self.services[0]} {self.symptom} after "
            f"{self.trigger}. About {self.customers:,} customers were affected. "
            f"{', '.join(self.services[1:]) or 'No other service'} "
            f"{'was' if len(self.services) <= 2 else 'were'} also involved; the change was "
            "undone and the backlog processed."
        )


PROSE = "\x00prose\x00"
"""Where a shape writer leaves room for narrative paragraphs (filled to the wanted size)."""


def write_seed_shape(incident: Incident) -> str:
    rng = incident.rng
    lines = [incident.front_matter(internal=rng.random() < 0.03)]
    lines.append(f"# Postmortem: {incident.title}\n\n## Date: {incident.date.isoformat()}\n")
    lines.append(f"{incident.summary()}\n\n{PROSE}\n")
    lines.append(f"## What Happened\n\n{PROSE}\n\n### Timeline")
    for number, (_, text) in enumerate(incident.events(rng.randint(9, 16)), start=1):
        lines.append(f"{number}. {text}")
        if rng.random() < 0.15:
            for service in rng.sample(SERVICES, 2):
                lines.append(f"   - `{service}` ({rng.randint(0, 900)} errors a minute)")
    lines.append("\n### Our Mistakes\n")
    for number in range(1, rng.randint(3, 5)):
        lines.append(
            f"#### Mistake #{number}: Trusting {rng.choice(SERVICES)}\n"
            f"- **What we did**: Shipped {incident.trigger} without a canary\n"
            f"- **Why it was wrong**: {incident.services[0]} depends on it in ways no test covers\n"
            "- **What we should have done**: Staged the change and watched the error rate\n"
        )
    lines.append("## Impact\n\n### Broken Features")
    for service in incident.services:
        lines.append(f"- {service} {rng.choice(SYMPTOMS)} for {rng.randint(3, 90)} minutes")
    lines.append("\n### Dashboard Metrics Affected")
    for metric in rng.sample(METRICS, rng.randint(3, 5)):
        lines.append(f'- "{metric}": {rng.randint(2, 99)}% above baseline')
    lines.append("\n| Region | Requests failed | Peak latency |\n|---|---|---|")
    for region in rng.sample(REGIONS, rng.randint(2, 4)):
        lines.append(f"| {region} | {rng.randint(1, 90)}% | {rng.randint(200, 9000)} ms |")
    lines.append("\n## Root Cause Analysis\n")
    lines.append(
        f"### Why {incident.services[0]} Broke\n1. {incident.trigger.capitalize()} changed a "
        "shared setting\n2. Nothing checked the setting against its consumers\n"
        f"3. The {rng.choice(METRICS)} alert watched the wrong service\n"
    )
    lines.append("## Lessons Learned\n")
    for number, (title, text) in enumerate(incident.lessons, start=1):
        lines.append(f"### {number}. {title}\n- {text}\n")
    lines.append("## Recovery Actions Taken\n")
    lines.append(f"1. Undid {incident.trigger}\n2. Drained the backlog\n3. Told the customers\n")
    lines.append("## Preventive Measures\n")
    items = incident.actions(rng.randint(4, 8))
    middle = len(items) // 2
    for group, chunk in (("For This Service", items[:middle]), ("For Everyone", items[middle:])):
        lines.append(f"### {group}")
        for item in chunk:
            owner = f" @{item['owner']}" if item["owner"] else ""
            due = f" (due {item['due']})" if item["due"] else ""
            lines.append(f"- [{'x' if item['done'] else ' '}] {item['text']}{owner}{due}")
        lines.append("")
    lines.append(f"## Status\n✅ **{incident.status.upper()}** - {incident.summary()}\n")
    return "\n".join(lines)


def write_sre_shape(incident: Incident) -> str:
    rng = incident.rng
    lines = [incident.front_matter()]
    lines.append(f"# {incident.title}\n")
    lines.append(f"**Date:** {incident.date.isoformat()}\n")
    lines.append(f"**Authors:** {', '.join(name for name, _ in incident.people)}\n")
    lines.append(f"## Summary\n\n{incident.summary()}\n\n{PROSE}\n")
    lines.append("## Impact\n")
    lines.append(f"- {incident.customers:,} customers saw errors.\n")
    lines.append("| Surface | Error rate at peak | Duration |\n|---|---|---|")
    for service in incident.services:
        lines.append(f"| {service} | {rng.randint(2, 99)}% | {rng.randint(3, 90)} min |")
    lines.append("\n## Root Causes\n")
    lines.append(
        f"{incident.trigger.capitalize()} changed a limit that {incident.services[0]} shares "
        f"with {rng.choice(SERVICES)}; the review looked at one service only.\n"
    )
    lines.append(f"## Trigger\n\n{incident.paragraph(2)}\n")
    lines.append(f"## Detection\n\n{incident.paragraph(2)}\n")
    lines.append("## Timeline\n\n| Time (UTC) | Event |\n|---|---|")
    for number, (stamp, text) in enumerate(incident.events(rng.randint(10, 18))):
        when = f"{incident.date.isoformat()} {stamp}" if number == 0 else stamp
        lines.append(f"| {when} | {text} |")
    lines.append("\n## Lessons Learned\n\n### What went well\n")
    for text in rng.sample(WELL, 2):
        lines.append(f"- {text}")
    lines.append("\n### What went wrong\n")
    for title, text in incident.lessons:
        lines.append(f"- **{title}**: {text}")
    lines.append(f"\n### Where we got lucky\n\n- {rng.choice(LUCKY)}\n")
    lines.append("## Action Items\n\n| Action Item | Owner | Priority | Due | Status | Ticket |")
    lines.append("|---|---|---|---|---|---|")
    for item in incident.actions(rng.randint(4, 8)):
        owner = f"@{item['owner']}" if item["owner"] else ""
        lines.append(
            f"| {item['text']} | {owner} | {item['priority']} | {item['due'] or ''} | "
            f"{'Done' if item['done'] else 'Open'} | {item['ticket']} |"
        )
    lines.append(f"\n## Supporting information\n\n{PROSE}\n")
    return "\n".join(lines)


def write_heading_shape(incident: Incident) -> str:
    rng = incident.rng
    lines = [incident.front_matter()]
    lines.append(f"# {incident.date.isoformat()}, {incident.title}\n")
    lines.append(f"## Summary\n\n{incident.summary()}\n\n{PROSE}\n")
    lines.append("## Timeline\n\nAll times in UTC\n")
    for number, (stamp, text) in enumerate(incident.events(rng.randint(8, 14))):
        heading = f"{incident.date.isoformat()} {stamp}" if number == 0 else stamp
        lines.append(f"### {heading}\n\n{text}. {incident.sentence()}\n")
    lines.append("## Impact\n\n| Service | Symptom | Minutes |\n|---|---|---|")
    for service in incident.services:
        lines.append(f"| {service} | {rng.choice(SYMPTOMS)} | {rng.randint(3, 90)} |")
    lines.append(f"\n## Background\n\n{PROSE}\n")
    lines.append(f"## Root cause\n\n{incident.trigger.capitalize()} changed a shared setting.\n")
    lines.append("## Lessons learnt\n\n### What went well\n")
    lines.append(f"- {rng.choice(WELL)}\n\n### What went wrong\n")
    for title, text in incident.lessons:
        lines.append(f"- {title}. {text}")
    lines.append(f"\n### Where we got lucky\n\n- {rng.choice(LUCKY)}\n")
    lines.append("## Action items\n\n### Process improvements\n")
    items = incident.actions(rng.randint(3, 7))
    for number, item in enumerate(items, start=1):
        owner = f", owner @{item['owner']}" if item["owner"] else ""
        due = f", due {item['due']}" if item["due"] else ""
        done = " (done)" if item["done"] else ""
        lines.append(f"{number}. {item['text']}{owner}{due} ({item['ticket']}){done}")
    lines.append("")
    return "\n".join(lines)


def write_narrative_shape(incident: Incident) -> str:
    """A short-form postmortem written mostly as prose, with a bullet timeline."""
    rng = incident.rng
    lines = [incident.front_matter()]
    lines.append(f"# {incident.title}\n\n## Summary\n\n{incident.summary()}\n\n{PROSE}\n")
    lines.append("## Timeline\n")
    for number, (stamp, text) in enumerate(incident.events(rng.randint(7, 12))):
        day = f"{incident.date.isoformat()} " if number == 0 else ""
        lines.append(f"- {day}{stamp} UTC: {text}.")
    lines.append(f"\n## Background\n\n{PROSE}\n")
    lines.append("## Lessons\n")
    for title, text in incident.lessons:
        lines.append(f"- **{title}.** {text}")
    lines.append("\n## Metrics\n\n| Metric | Before | Peak |\n|---|---|---|")
    for metric in rng.sample(METRICS, rng.randint(2, 4)):
        lines.append(f"| {metric} | {rng.randint(1, 50)} | {rng.randint(51, 9000)} |")
    lines.append("\n## Action items\n")
    for item in incident.actions(rng.randint(2, 5)):
        owner = f" (@{item['owner']}" + (f", due {item['due']})" if item["due"] else ")")
        lines.append(f"- {item['text']}{owner if item['owner'] else ''}")
    lines.append("")
    return "\n".join(lines)


SHAPES: tuple[Callable[[Incident], str], ...] = (
    write_seed_shape,
    write_sre_shape,
    write_heading_shape,
    write_narrative_shape,
)

SIZE_RANGE = (6000, 8000)
"""Each generated postmortem's size in bytes (the issue's 6-8 KB)."""


def fill_prose(incident: Incident, text: str) -> str:
    """Fill the shape's prose slots with paragraphs until the text is 6-8 KB."""
    rng = incident.rng
    slots = text.count(PROSE)
    low, high = SIZE_RANGE
    target = rng.randint(low, high - 400)
    paragraphs: list[list[str]] = [[] for _ in range(slots)]
    size = len(text.replace(PROSE, "").encode("utf-8"))
    number = 0
    while size < target and slots:
        paragraph = incident.paragraph()
        if size + len(paragraph) + 2 > high:
            paragraph = incident.paragraph(1)
            if size + len(paragraph) + 2 > high:
                break
        paragraphs[number % slots].append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        number += 1
    for chunk in paragraphs:
        text = text.replace(PROSE, "\n\n".join(chunk) or incident.sentence(), 1)
    return text


def generate_postmortems(folder: Path, count: int, seed: int = 20261124) -> int:
    """Write ``count`` postmortems of 6-8 KB into ``folder``; return their total size in bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for number in range(count):
        incident = Incident(rng, number)
        text = fill_prose(incident, SHAPES[number % len(SHAPES)](incident))
        path = folder / f"{incident.slug}-{number % len(SHAPES)}.md"
        path.write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def prepare(root: Path, count: int) -> tuple[Path, Path, int]:
    """Write the pmkb knowledge base and the plain site; return their configs and the size."""
    kb = root / "kb"
    shutil.copytree(REPO / "docs", kb / "docs")
    shutil.copy2(REPO / "mkdocs.yml", kb / "mkdocs.yml")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", kb / "templates")
    size = generate_postmortems(kb / "postmortems", count)

    plain = root / "plain"
    shutil.copytree(REPO / "docs", plain / "docs")
    shutil.copytree(kb / "postmortems", plain / "docs" / "postmortems")
    config = load_mkdocs_yaml(REPO / "mkdocs.yml")
    plugins = [
        entry
        for entry in config.get("plugins", [])
        if (entry if isinstance(entry, str) else next(iter(entry))) != "postmortems"
    ]
    hand_written = sorted(
        path.relative_to(plain / "docs").as_posix()
        for path in (plain / "docs").rglob("*.md")
        if "postmortems" not in path.relative_to(plain / "docs").parts
    )
    # INHERIT keeps theme, extensions and everything else identical; lists (plugins, nav) are
    # replaced rather than merged.
    child = {
        "INHERIT": os.path.relpath(kb / "mkdocs.yml", plain),
        "docs_dir": "docs",
        "plugins": plugins,
        "nav": hand_written,
    }
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(child, sort_keys=False), encoding="utf-8")
    return kb / "mkdocs.yml", plain / "mkdocs.yml", size


def load_mkdocs_yaml(path: Path) -> dict[str, object]:
    """Read a mkdocs.yml, tolerating MkDocs' custom tags (only plain values are kept)."""
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load  # noqa: PLC0415

    with path.open(encoding="utf-8") as stream:
        loaded = yaml_load(stream, loader=get_yaml_loader())
    return loaded if isinstance(loaded, dict) else {}


def build(config: Path, site: Path) -> float:
    """Run ``mkdocs build`` in a new process; return its wall time in seconds."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    shutil.rmtree(site, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build -f {config} failed:\n{result.stderr[-4000:]}")
    return elapsed


def profile_pmkb(config: Path, site: Path, top: int) -> None:
    """Build the pmkb site in this process under cProfile; print where the time goes."""
    from mkdocs.commands.build import build as mkdocs_build  # noqa: PLC0415
    from mkdocs.config import load_config  # noqa: PLC0415

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    shutil.rmtree(site, ignore_errors=True)
    profiler = cProfile.Profile()
    profiler.enable()
    mkdocs_build(load_config(str(config), site_dir=str(site)))
    profiler.disable()
    for title, restriction in (("pmkb's own functions", "generator"), ("everything", "")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(restriction, top) if restriction else stats.print_stats(top)
        print(f"\n--- profile: {title}, by cumulative time ---")
        print("\n".join(out.getvalue().splitlines()[: top + 12]))


def time_builds(root: Path, pmkb_config: Path, plain_config: Path, rounds: int) -> dict[str, float]:
    """Build both sites ``rounds`` times, alternating; return the best time of each."""
    times: dict[str, list[float]] = {"pmkb": [], "plain": []}
    for number in range(rounds):
        times["plain"].append(build(plain_config, root / "site-plain"))
        times["pmkb"].append(build(pmkb_config, root / "site-pmkb"))
        print(
            f"round {number + 1}: plain {times['plain'][-1]:.2f} s, pmkb {times['pmkb'][-1]:.2f} s"
        )
    return {name: min(values) for name, values in times.items()}


def report(best: dict[str, float], root: Path) -> None:
    """Print both times, the pages built and the ratio against the target."""
    for name, label in (("plain", "plain mkdocs build"), ("pmkb", "pmkb build")):
        pages = sum(1 for _ in (root / f"site-{name}").rglob("*.html"))
        print(f"{label + ':':<20}{best[name]:.2f} s ({pages} HTML files)")
    ratio = best["pmkb"] / best["plain"]
    verdict = "within" if ratio <= TARGET else "MISSES"
    print(
        f"{'ratio pmkb/plain:':<20}{ratio:.3f} (+{(ratio - 1) * 100:.1f}%; "
        f"{verdict} the +{(TARGET - 1) * 100:.0f}% target)"
    )


def main() -> None:
    """Generate the knowledge base, time both builds, print the report."""
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--postmortems", type=int, default=1000)
    options.add_argument("--rounds", type=int, default=2, help="alternating rounds; best is kept")
    options.add_argument("--keep", type=Path, help="build here and keep the files")
    options.add_argument("--profile", action="store_true", help="profile the pmkb build too")
    options.add_argument("--top", type=int, default=30, help="profile lines to print")
    arguments = options.parse_args()

    with tempfile.TemporaryDirectory(prefix="pmkb-bench-") as temporary:
        root = arguments.keep or Path(temporary)
        if arguments.keep:
            shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
        pmkb_config, plain_config, size = prepare(root, arguments.postmortems)
        print(
            f"{arguments.postmortems} postmortems, {size / 1e6:.2f} MB "
            f"(average {size / max(1, arguments.postmortems) / 1e3:.1f} KB each), in {root} "
            f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs)"
        )
        if arguments.rounds > 0:
            report(time_builds(root, pmkb_config, plain_config, arguments.rounds), root)
        if arguments.profile:
            profile_pmkb(pmkb_config, root / "site-profile", arguments.top)


if __name__ == "__main__":
    main()
