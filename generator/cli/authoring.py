"""Authoring commands: ``pmkb new`` (a postmortem from a template) and ``pmkb init``."""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from pathlib import Path

import click

from generator.cli.common import (
    parse_date_option,
    read_settings,
    report_failures,
)
from generator.clock import find_today
from generator.errors import show_path
from generator.scaffold import (
    DEFAULT_TEMPLATE,
    Draft,
    create_postmortem,
    init_knowledge_base,
    list_scaffolds,
)


def _split_answer(answer: str) -> tuple[str, ...]:
    """Split a comma-separated answer into its non-empty parts."""
    return tuple(part.strip() for part in answer.split(",") if part.strip())


@click.command("new")
@click.argument("title", required=False)
@click.option(
    "-t",
    "--template",
    metavar="NAME",
    default=DEFAULT_TEMPLATE,
    show_default=True,
    help="The template to start from (pmkb new --list shows them).",
)
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    callback=parse_date_option,
    help="The day of the incident (default: today, or the day of SOURCE_DATE_EPOCH).",
)
@click.option("--severity", metavar="S", help="Severity as your team writes it (SEV-2, P1 ...).")
@click.option(
    "--service", "services", metavar="X", multiple=True, help="An affected service (repeatable)."
)
@click.option("--author", "authors", metavar="A", multiple=True, help="An author (repeatable).")
@click.option("--list", "list_only", is_flag=True, help="List the templates and exit.")
@click.pass_context
def write_new_postmortem(
    context: click.Context,
    *,
    title: str | None,
    template: str,
    date: dt.date | None,
    severity: str | None,
    services: tuple[str, ...],
    authors: tuple[str, ...],
    list_only: bool,
) -> None:
    """Draft a postmortem from a template into postmortems/<date>-<slug>.md and print its path.

    Values not given are asked for when standard input is a terminal, and left as TODO
    placeholders otherwise. An existing file is never overwritten.
    """
    settings = read_settings(context)
    if list_only:
        with report_failures():
            _print_scaffolds(settings.templates_dir)
        return
    if sys.stdin.isatty():
        title, severity, services, authors = _ask_missing(title, severity, services, authors)
    if not title or not title.strip():
        raise click.UsageError('give the incident a title: pmkb new "What broke"')
    draft = Draft(
        title=title,
        date=date or find_today(),
        severity=severity,
        services=services,
        authors=authors,
    )
    with report_failures():
        path = create_postmortem(
            draft,
            postmortems_dir=settings.postmortems_dir,
            templates_dir=settings.templates_dir,
            template=template,
        )
    click.echo(show_path(path))


def _ask_missing(
    title: str | None,
    severity: str | None,
    services: tuple[str, ...],
    authors: tuple[str, ...],
) -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]:
    """Ask on the terminal for the values not given; an empty answer leaves a placeholder."""
    if not title:
        title = click.prompt("Title", err=True).strip()
    if severity is None:
        severity = click.prompt("Severity (empty: fill in later)", default="", err=True) or None
    if not services:
        answer = click.prompt("Affected services, comma-separated", default="", err=True)
        services = _split_answer(answer)
    if not authors:
        authors = _split_answer(click.prompt("Authors, comma-separated", default="", err=True))
    return title, severity, services, authors


def _print_scaffolds(templates_dir: Path) -> None:
    """Print the templates ``pmkb new`` can start from, and where to add one."""
    scaffolds = list_scaffolds(templates_dir)
    width = max((len(scaffold.name) for scaffold in scaffolds), default=0)
    for scaffold in scaffolds:
        click.echo(
            f"{scaffold.name:<{width}}  {scaffold.origin!s:<14}  "
            f"{scaffold.description or '(no description)'}"
        )
    own = show_path(templates_dir / "<name>.md.j2")
    click.echo(
        f"\nDefault: {DEFAULT_TEMPLATE}. Add your own as {own}"
        " (first line: {# one-line description #})."
    )


@click.command("init")
@click.argument(
    "folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--add-missing",
    is_flag=True,
    help="In a folder that is not empty, write only the files it lacks.",
)
def write_knowledge_base(*, folder: Path, add_missing: bool) -> None:
    """Write a working knowledge base into FOLDER (default: here); never overwrite a file.

    It gets mkdocs.yml, postmortems/ with an example, templates/, docs/, a GitHub Actions
    workflow and a .gitignore. A folder that is not empty is refused unless --add-missing.
    """
    with report_failures():
        report = init_knowledge_base(folder, add_missing=add_missing)
    for relative in report.written:
        click.echo(f"created  {folder / relative}")
    for relative in report.skipped:
        click.echo(f"skipped  {folder / relative} (already exists)")
    if not report.written:
        click.echo("Nothing to add: every file is already there.")
        return
    where = "" if folder == Path() else f"cd {shlex.quote(str(folder))} && "
    click.echo(
        "\nNext: "
        f'{where}pmkb new "What broke"  (pmkb new --list shows the formats), then pmkb serve.'
    )
