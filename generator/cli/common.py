"""Command-line common ground: the ``pmkb`` group, its exit codes and the shared options.

Exit codes: 2 when the configuration cannot be used (mkdocs.yml, a missing postmortems folder),
1 when the work failed or found errors, 0 otherwise (see :func:`report_failures`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.clock import ClockError, find_today
from generator.config import SettingsError, load_settings
from generator.plugin import SiteError
from generator.scaffold import (
    ScaffoldError,
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


def parse_date_option(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> dt.date | None:
    """Parse a ``YYYY-MM-DD`` option value (a click callback); a bad date is a usage error."""
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ScaffoldError as error:
        raise click.BadParameter(str(error)) from None


TODAY_OPTION = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    callback=parse_date_option,
    help="Judge due dates and ages as on this day (default: today, or the day of "
    "SOURCE_DATE_EPOCH).",
)
