"""The ``pmkb`` command line: thin click commands over the engine-free modules.

Each command parses its arguments, calls one module (parse, catalog, render, checks, scaffold,
export), prints, and returns an exit code. Diagnostics print like compiler errors
(``path:line:col: PMK0nn severity message``); nothing here prints a traceback for bad input.
"""

from __future__ import annotations

from pathlib import Path

import click

from generator.config import SettingsError, load_settings
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
