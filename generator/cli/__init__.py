"""The ``pmkb`` command line: thin click commands over the engine-free modules.

Each command parses its arguments, calls one module (catalog, checks, report, scaffold, export,
plugin), prints, and returns an exit code: 2 when the configuration cannot be used (mkdocs.yml,
a missing postmortems folder), 1 when the work failed or found errors, 0 otherwise (see
:mod:`generator.cli.common`). Diagnostics print like compiler errors (``path:line:col: PMK0nn
severity message``); nothing here prints a traceback for bad input.

The commands live by kind: :mod:`generator.cli.authoring` (new, init), :mod:`generator.cli.reading`
(check, actions, export) and :mod:`generator.cli.publishing` (build, serve, generate). This
package is the only code that imports click.
"""

from generator.cli.authoring import write_knowledge_base, write_new_postmortem
from generator.cli.common import main
from generator.cli.publishing import build_command, generate_command, serve_command
from generator.cli.reading import check_postmortems, export_command, list_open_actions

__all__ = ["main"]

for _command in (
    write_new_postmortem,
    write_knowledge_base,
    export_command,
    check_postmortems,
    list_open_actions,
    build_command,
    serve_command,
    generate_command,
):
    main.add_command(_command)
