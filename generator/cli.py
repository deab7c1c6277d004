"""The ``pmkb`` command line: thin click commands over the engine-free modules.

Each command parses its arguments, calls one module (parse, catalog, render, checks, scaffold,
export), prints, and returns an exit code. Diagnostics print like compiler errors
(``path:line:col: PMK0nn severity message``); nothing here prints a traceback for bad input.
"""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from pathlib import Path

import click

from generator.catalog import OpenAction
from generator.config import SettingsError, load_settings
from generator.errors import Diagnostic
from generator.scaffold import (
    DEFAULT_TEMPLATE,
    Draft,
    ScaffoldError,
    create_postmortem,
    display_path,
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
    """Postmortem knowledge base: parse, check, scaffold and publish postmortems."""
    context.obj = config_file


def read_settings(context: click.Context) -> Settings:
    """Return the knowledge base's settings, or exit with the configuration problem."""
    try:
        return load_settings(context.obj)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def _parse_date_option(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ScaffoldError as error:
        raise click.BadParameter(str(error)) from None


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
    help="The day of the incident (default: today).",
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
    try:
        if list_only:
            _print_scaffolds(settings.templates_dir)
            return
        if sys.stdin.isatty():
            title, severity, services, authors = _ask_missing(title, severity, services, authors)
        if not title:
            raise click.UsageError('give the incident a title: pmkb new "What broke"')
        path = create_postmortem(
            Draft(
                title=title,
                date=date or dt.date.today(),
                severity=severity,
                services=services,
                authors=authors,
            ),
            postmortems_dir=settings.postmortems_dir,
            templates_dir=settings.templates_dir,
            template=template,
        )
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    click.echo(display_path(path))


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
    own = display_path(templates_dir / "<name>.md.j2")
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
    try:
        report = init_knowledge_base(folder, add_missing=add_missing)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
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
    could be read.
    """
    from generator.catalog import read_postmortems  # noqa: PLC0415
    from generator.export import dump_json, export_document  # noqa: PLC0415

    settings = read_settings(context)
    postmortems, diagnostics = read_postmortems(
        paths or (settings.postmortems_dir,), settings=settings
    )
    click.echo(dump_json(export_document(postmortems, diagnostics)))
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
    if not postmortems:
        raise SystemExit(1)


class ConfigurationProblem(click.ClickException):
    """The knowledge base's configuration cannot be used.

    It exits 2, which CI tells apart from the exit 1 of postmortems that fail their checks.
    """

    exit_code = 2


def read_settings_or_exit_2(context: click.Context) -> Settings:
    """Return the knowledge base's settings, or exit 2 with the configuration problem."""
    try:
        return load_settings(context.obj)
    except SettingsError as error:
        raise ConfigurationProblem(str(error)) from None


class _CheckCommand(click.Command):
    """``pmkb check``, whose help ends with the table of rules (read when help is asked for)."""

    def format_epilog(self, context: click.Context, formatter: click.HelpFormatter) -> None:
        from generator.checks import RULES  # noqa: PLC0415

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
@click.pass_context
def check_postmortems(
    context: click.Context, paths: tuple[Path, ...], output_format: str, *, strict: bool
) -> None:
    """Check the postmortems under PATH (files or folders) and print every problem.

    PATH defaults to the knowledge base's postmortems folder. Exits 1 when there is an error
    (or, with --strict, a warning), 2 when the configuration cannot be used, 0 otherwise. A
    one-line summary goes to standard error.
    """
    import json  # noqa: PLC0415

    from generator.catalog import build_catalog, read_postmortems  # noqa: PLC0415
    from generator.checks import find_unknown_codes, run_checks  # noqa: PLC0415

    settings = read_settings_or_exit_2(context)
    unknown = find_unknown_codes(settings.disabled_rules)
    if unknown:
        raise ConfigurationProblem(
            f"disabled_rules in mkdocs.yml names {', '.join(unknown)}, which is no rule of "
            "pmkb check; pmkb check --help lists them"
        )
    if not paths and not settings.postmortems_dir.is_dir():
        raise ConfigurationProblem(
            f"there is no postmortems folder at {settings.postmortems_dir}: run pmkb init, set "
            "postmortems_dir in mkdocs.yml, or name the files to check"
        )
    postmortems, read_problems = read_postmortems(
        paths or (settings.postmortems_dir,), settings=settings
    )
    catalog = build_catalog(postmortems, diagnostics=read_problems)
    diagnostics = run_checks(catalog, settings, today=dt.date.today())
    if output_format == "json":
        click.echo(json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False))
    else:
        show = format_github_annotation if output_format == "github" else str
        for diagnostic in diagnostics:
            click.echo(show(diagnostic))
    files = {p.source for p in postmortems} | {d.location.path for d in read_problems}
    click.echo(summarize_diagnostics(diagnostics, len(files)), err=True)
    if any(diagnostic.severity.fails(strict=strict) for diagnostic in diagnostics):
        context.exit(1)


_ANNOTATION_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def format_github_annotation(diagnostic: Diagnostic) -> str:
    """Return a diagnostic as a GitHub Actions workflow command (an annotation on the file).

    Escaped as the Actions toolkit does: ``%``, CR and LF in the message; also ``:`` and ``,``
    in property values, where they would end the value.
    """
    location = diagnostic.location
    properties = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (
            ("file", location.path),
            ("line", location.line),
            ("col", location.column),
            ("title", diagnostic.code),
        )
    )
    command = _ANNOTATION_COMMANDS[str(diagnostic.severity)]
    return f"::{command} {properties}::{_escape_data(diagnostic.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summarize_diagnostics(diagnostics: list[Diagnostic], files: int) -> str:
    """Return the one-line summary of a check: ``3 errors, 2 warnings in 8 postmortems``."""
    counts = dict.fromkeys(("error", "warning", "info"), 0)
    for diagnostic in diagnostics:
        counts[str(diagnostic.severity)] += 1
    found = [_count(counts[name], name) for name in ("error", "warning") if counts[name]]
    if counts["info"]:
        found.append(f"{counts['info']} info")
    return f"{', '.join(found) or 'no problems'} in {_count(files, 'postmortem')}"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


ACTION_COLUMNS = (
    "incident",
    "title",
    "group",
    "action",
    "owner",
    "due",
    "overdue",
    "priority",
    "age_days",
    "state",
    "ticket",
    "source",
    "line",
)
"""The fields of an open action item in ``pmkb actions --format json|csv``, in order."""


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
@click.pass_context
def list_open_actions(
    context: click.Context, owner: str | None, output_format: str, *, overdue: bool
) -> None:
    """List the open action items of every postmortem, oldest incident first.

    Items that still hold a template placeholder (TODO:) are not listed: they are not written
    yet (pmkb check reports them).
    """
    from generator.catalog import load_catalog  # noqa: PLC0415
    from generator.checks import is_placeholder  # noqa: PLC0415

    settings = read_settings_or_exit_2(context)
    catalog = load_catalog(settings)
    actions = tuple(
        action
        for action in catalog.open_actions(dt.date.today())
        if not is_placeholder(action.item.text)
    )
    if owner is not None:
        wanted = _normalize_owner(owner)
        actions = tuple(a for a in actions if wanted in _split_owners(a.item.owner))
    if overdue:
        actions = tuple(a for a in actions if a.overdue)
    rows = [_describe_action(action) for action in actions]
    if output_format == "json":
        import json  # noqa: PLC0415

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == "csv":
        click.echo(_format_csv(rows), nl=False)
    elif rows:
        click.echo(_format_table(rows))
    else:
        click.echo("No open action items" + (" match." if owner or overdue else "."))
    unreadable = {d.location.path for d in catalog.diagnostics if d.severity.fails(strict=False)}
    if unreadable:
        click.echo(
            f"{_count(len(unreadable), 'file')} could not be read completely; pmkb check says why",
            err=True,
        )


def _normalize_owner(owner: str) -> str:
    return owner.strip().lstrip("@").casefold()


def _split_owners(owner: str | None) -> set[str]:
    """Return the owners an owner text names (``@ann, Bob`` names ``ann`` and ``bob``)."""
    import re  # noqa: PLC0415

    if not owner:
        return set()
    parts = re.split(r"\s*(?:[,;/&]|\band\b)\s*", owner)
    return {_normalize_owner(part) for part in (owner, *parts) if part.strip()}


def _describe_action(action: OpenAction) -> dict[str, object]:
    from generator.parse.text import plain_text  # noqa: PLC0415

    item = action.item
    text = " ".join(plain_text(line) for line in item.text.strip().split("\n"))
    return {
        "incident": action.postmortem.id,
        "title": action.postmortem.title,
        "group": item.group,
        "action": text,
        "owner": item.owner,
        "due": item.due.isoformat() if item.due else None,
        "overdue": action.overdue,
        "priority": item.priority,
        "age_days": action.age_days,
        "state": str(item.state),
        "ticket": item.ticket,
        "source": action.postmortem.source,
        "line": item.line,
    }


def _format_csv(rows: list[dict[str, object]]) -> str:
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACTION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: "" if v is None else str(v).lower() if isinstance(v, bool) else v
                for k, v in row.items()
            }
        )
    return buffer.getvalue()


# (header, row key, widest cell) of the table; the action text comes last and is cut longest.
_TABLE = (
    ("INCIDENT", "incident", 48),
    ("GROUP", "group", 28),
    ("OWNER", "owner", 20),
    ("DUE", "due", 20),
    ("PRIORITY", "priority", 8),
    ("AGE", "age_days", 6),
    ("ACTION", "action", 72),
)


def _format_table(rows: list[dict[str, object]]) -> str:
    """Return the rows as a plain text table, columns aligned, long cells cut with an ellipsis."""
    cells: list[list[str]] = [[header for header, _, _ in _TABLE]]
    for row in rows:
        line = []
        for _, key, widest in _TABLE:
            value = row[key]
            if key == "due" and value and row["overdue"]:
                text = f"{value} (overdue)"
            elif key == "age_days" and value is not None:
                text = f"{value}d"
            else:
                text = "-" if value in (None, "") else str(value)
            line.append(text if len(text) <= widest else text[: widest - 1] + "…")
        cells.append(line)
    widths = [max(len(line[i]) for line in cells) for i in range(len(_TABLE))]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    )


@main.command("build")
@click.option(
    "--strict", is_flag=True, help="Fail on any warning (a postmortem with an error too)."
)
@click.pass_context
def build_command(context: click.Context, *, strict: bool) -> None:
    """Build the static site into site/ (mkdocs build, with the postmortems plugin)."""
    from generator.plugin import SiteError, build_site  # noqa: PLC0415  (loads MkDocs)

    try:
        build_site(context.obj, strict=strict)
    except SiteError as error:
        raise click.ClickException(str(error)) from None


@main.command("serve")
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", help="Where to serve (default: 127.0.0.1:8000)."
)
@click.pass_context
def serve_command(context: click.Context, *, dev_addr: str | None) -> None:
    """Preview the site, rebuilt whenever a postmortem, template or doc changes (mkdocs serve)."""
    from generator.plugin import SiteError, serve_site  # noqa: PLC0415  (loads MkDocs)

    try:
        serve_site(context.obj, dev_addr=dev_addr)
    except SiteError as error:
        raise click.ClickException(str(error)) from None


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
    from generator.plugin import SiteError, generate_site  # noqa: PLC0415  (loads MkDocs)

    try:
        catalog, report = generate_site(out, context.obj)
    except SiteError as error:
        raise click.ClickException(str(error)) from None
    for diagnostic in catalog.diagnostics:
        location = diagnostic.location
        click.echo(
            f"{location.path}:{location.line}: {diagnostic.code} {diagnostic.message}", err=True
        )
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
        raise SystemExit(1)
