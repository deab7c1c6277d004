"""Reading commands: ``pmkb check``, ``pmkb actions`` and ``pmkb export``.

Each reads the postmortems, prints what it found (diagnostics like compiler errors,
``path:line:col: PMK0nn severity message``) and exits 1 when the postmortems fail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.catalog import build_catalog, load_catalog
from generator.checks import RULES, run_checks
from generator.cli.common import (
    TODAY_OPTION,
    choose_paths,
    read_settings,
)
from generator.clock import find_today
from generator.export import dump_json, export_document
from generator.links import DEFAULT_THEMES, merge_themes
from generator.postmortem_files import read_postmortems
from generator.report import (
    count_noun,
    format_actions,
    format_diagnostics,
    select_open_actions,
    summarize_diagnostics,
)


@click.command("export")
@click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]..."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def export_command(context: click.Context, paths: tuple[Path, ...], output_format: str) -> None:
    """Print every postmortem under PATH (files or folders) as one JSON document.

    PATH defaults to the knowledge base's postmortems folder. Exits 1 only when nothing at all
    could be read, 2 when the configuration cannot be used.
    """
    settings = read_settings(context)
    postmortems, diagnostics = read_postmortems(choose_paths(settings, paths), settings=settings)
    catalog = build_catalog(postmortems, themes=merge_themes(DEFAULT_THEMES, settings.themes))
    click.echo(dump_json(export_document(postmortems, diagnostics, catalog)))
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
    if not postmortems:
        context.exit(1)


class _CheckCommand(click.Command):
    """``pmkb check``, whose help ends with the table of rules."""

    def format_epilog(self, context: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Rules (turn one off with disabled_rules: [PMK0nn] in mkdocs.yml)"):
            formatter.write_dl([(rule.code, f"{rule.summary} ({rule.severity})") for rule in RULES])
        formatter.write_paragraph()
        formatter.write_text("Each rule is explained, with examples, in docs/rules.md.")


@click.command("check", cls=_CheckCommand)
@click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]..."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: path:line:col: CODE severity message; json: a list of diagnostics; "
    "github: GitHub Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@TODAY_OPTION
@click.pass_context
def check_postmortems(
    context: click.Context,
    paths: tuple[Path, ...],
    output_format: str,
    today: dt.date | None,
    *,
    strict: bool,
) -> None:
    """Check the postmortems under PATH (files or folders) and print every problem.

    PATH defaults to the knowledge base's postmortems folder. Exits 1 when there is an error
    (or, with --strict, a warning), 2 when the configuration cannot be used, 0 otherwise. A
    one-line summary goes to standard error.
    """
    settings = read_settings(context)
    postmortems, read_problems = read_postmortems(choose_paths(settings, paths), settings=settings)
    catalog = build_catalog(postmortems, diagnostics=read_problems)
    diagnostics = run_checks(catalog, settings, today=today or find_today())
    if diagnostics or output_format == "json":
        click.echo(format_diagnostics(diagnostics, output_format))
    files = {p.source for p in postmortems} | {d.location.path for d in read_problems}
    click.echo(summarize_diagnostics(diagnostics, len(files)), err=True)
    if any(diagnostic.severity.fails(strict=strict) for diagnostic in diagnostics):
        context.exit(1)


@click.command("actions")
@click.option(
    "--owner", metavar="X", help="Only the items of owner X (case-insensitive, @ optional)."
)
@click.option("--overdue", is_flag=True, help="Only the items past their due date.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: aligned text; json: a list of objects; csv: one row per item.",
)
@TODAY_OPTION
@click.pass_context
def list_open_actions(
    context: click.Context,
    owner: str | None,
    output_format: str,
    today: dt.date | None,
    *,
    overdue: bool,
) -> None:
    """List the open action items of every postmortem, oldest incident first.

    Items that still hold a template placeholder (TODO:) are not listed: they are not written
    yet (pmkb check reports them).
    """
    settings = read_settings(context)
    choose_paths(settings, ())
    catalog = load_catalog(settings)
    actions = select_open_actions(
        catalog, today=today or find_today(), owner=owner, overdue=overdue
    )
    if actions or output_format != "table":
        click.echo(format_actions(actions, output_format), nl=output_format != "csv")
    else:
        click.echo("No open action items" + (" match." if owner or overdue else "."))
    unreadable = {d.location.path for d in catalog.diagnostics if d.severity.fails(strict=False)}
    if unreadable:
        click.echo(
            f"{count_noun(len(unreadable), 'file')} could not be read completely; "
            "pmkb check says why",
            err=True,
        )
