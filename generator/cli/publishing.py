"""Publishing commands: ``pmkb build``, ``pmkb serve`` and ``pmkb generate``, over MkDocs."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import (
    report_failures,
)
from generator.plugin import build_site, generate_site, serve_site


@click.command("build")
@click.option(
    "--strict", is_flag=True, help="Fail on any warning (a postmortem with an error too)."
)
@click.pass_context
def build_command(context: click.Context, *, strict: bool) -> None:
    """Build the static site into site/ (mkdocs build, with the postmortems plugin)."""
    with report_failures():
        build_site(context.obj, strict=strict)


@click.command("serve")
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", help="Where to serve (default: 127.0.0.1:8000)."
)
@click.pass_context
def serve_command(context: click.Context, *, dev_addr: str | None) -> None:
    """Preview the site, rebuilt whenever a postmortem, template or doc changes (mkdocs serve)."""
    with report_failures():
        serve_site(context.obj, dev_addr=dev_addr)


@click.command("generate")
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
