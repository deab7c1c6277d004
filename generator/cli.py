"""The ``pmkb`` command line: thin click commands over the engine-free modules.

Each command parses its arguments, calls one module (catalog, checks, report, scaffold, export,
plugin), prints, and returns an exit code: 2 when the configuration cannot be used (mkdocs.yml,
a missing postmortems folder), 1 when the work failed or found errors, 0 otherwise (see
:func:`report_failures`). Diagnostics print like compiler errors (``path:line:col: PMK0nn
severity message``); nothing here prints a traceback for bad input.
"""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.catalog import build_catalog, load_catalog, read_postmortems
from generator.checks import RULES, run_checks
from generator.clock import ClockError, find_today
from generator.config import SettingsError, load_settings
from generator.errors import show_path
from generator.export import dump_json, export_document
from generator.links import DEFAULT_THEMES, merge_themes
from generator.plugin import SiteError, build_site, generate_site, serve_site
from generator.report import (
    count_noun,
    format_actions,
    format_diagnostics,
    select_open_actions,
    summarize_diagnostics,
)
from generator.scaffold import (
    DEFAULT_TEMPLATE,
    Draft,
    ScaffoldError,
    create_postmortem,
    init_knowledge_base,
    list_scaffolds,
    parse_iso_date,
)
from generator.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The knowledge base's mkdocs.yml (default: ./mkdocs.yml if there is one).",
)
@click.version_option(package_name="postmortem-kb", prog_name="pmkb")
@click.pass_context
def main(context: click.Context, config_file: Path | None) -> None:
    """Postmortem knowledge base: parse, check, scaffold and publish postmortems.

    Due dates, ages and future dates are judged by today's date, or by the day of
    SOURCE_DATE_EPOCH when it is set (reproducible builds); check and actions also take --today.
    """
    context.obj = config_file
    with report_failures():
        find_today()  # a malformed SOURCE_DATE_EPOCH is a configuration problem of every command


class ConfigurationProblem(click.ClickException):
    """The knowledge base's configuration cannot be used.

    It exits 2, which CI tells apart from the exit 1 of postmortems that fail their checks.
    """

    exit_code = 2


@contextmanager
def report_failures() -> Iterator[None]:
    """Turn what pmkb's modules raise into a message and an exit code (2: configuration)."""
    try:
        yield
    except (SettingsError, ClockError) as error:
        raise ConfigurationProblem(str(error)) from None
    except (ScaffoldError, SiteError) as error:
        raise click.ClickException(str(error)) from None


def read_settings(context: click.Context) -> Settings:
    """Return the knowledge base's settings, or exit 2 with the configuration problem."""
    with report_failures():
        return load_settings(context.obj)


def choose_paths(settings: Settings, paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Return the files and folders to read: those given, else the postmortems folder.

    Exit 2 when none is given and there is no postmortems folder.
    """
    if paths:
        return paths
    if not settings.postmortems_dir.is_dir():
        raise ConfigurationProblem(
            f"there is no postmortems folder at {settings.postmortems_dir}: run pmkb init, or "
            "set postmortems_dir in mkdocs.yml"
        )
    return (settings.postmortems_dir,)


def _parse_date_option(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ScaffoldError as error:
        raise click.BadParameter(str(error)) from None


TODAY_OPTION = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    callback=_parse_date_option,
    help="Judge due dates and ages as on this day (default: today, or the day of "
    "SOURCE_DATE_EPOCH).",
)


def _split_answer(answer: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in answer.split(",") if part.strip())


@main.command("new")
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
    callback=_parse_date_option,
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


@main.command("init")
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


@main.command("export")
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


@main.command("check", cls=_CheckCommand)
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


@main.command("actions")
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


@main.command("build")
@click.option(
    "--strict", is_flag=True, help="Fail on any warning (a postmortem with an error too)."
)
@click.pass_context
def build_command(context: click.Context, *, strict: bool) -> None:
    """Build the static site into site/ (mkdocs build, with the postmortems plugin)."""
    with report_failures():
        build_site(context.obj, strict=strict)


@main.command("serve")
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", help="Where to serve (default: 127.0.0.1:8000)."
)
@click.pass_context
def serve_command(context: click.Context, *, dev_addr: str | None) -> None:
    """Preview the site, rebuilt whenever a postmortem, template or doc changes (mkdocs serve)."""
    with report_failures():
        serve_site(context.obj, dev_addr=dev_addr)


@main.command("generate")
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the pages into (usually your docs folder, or a folder of its own).",
)
@click.pass_context
def generate_command(context: click.Context, *, out: Path) -> None:
    """Write the generated pages as Markdown files, for engines that run no MkDocs plugin.

    Files pmkb did not write (or that were edited since) are never overwritten or removed:
    they are listed, and the command exits with status 1. Pages pmkb wrote earlier that are
    no longer needed are removed. OUT/.pmkb-generated.json records what pmkb wrote.
    """
    with report_failures():
        diagnostics, report = generate_site(out, context.obj)
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
    for path in report.kept:
        click.echo(f"kept     {out / path} (not written by pmkb, or edited since: left as is)")
    for path in report.removed:
        click.echo(f"removed  {out / path} (no longer generated)")
    click.echo(
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.kept)} kept in {out}"
    )
    if report.written or report.unchanged:
        click.echo(
            "Add to mkdocs.yml if it is not there: extra_css: [assets/pmkb/pmkb.css] and "
            "extra_javascript: [assets/pmkb/pmkb.js]"
        )
    if report.kept:
        context.exit(1)
