"""pmkb's own versions of a few of Material's templates, in ``generator/theme/``.

MkDocs looks a template up in the theme's folders in order: a team's ``custom_dir`` first, then
Material's. pmkb's folder goes between them, so that a team still overrides any template, pmkb's
included. Only templates are there (MkDocs copies no ``.html`` of a theme into the site). One so
far: ``partials/palette.html``, the light and dark switch, which ``assets/palette.js`` works
(the file says why).

Used by the MkDocs plugin (:mod:`generator.plugin`) in ``on_config``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

THEME_DIR = Path(__file__).parent / "theme"
"""The folder of pmkb's templates, laid out as Material's ``templates/`` folder is."""


def add_theme_overrides(config: MkDocsConfig) -> None:
    """Put :data:`THEME_DIR` just before Material's own folder among the theme's folders.

    Nothing changes for another theme (pmkb's templates are Material's, changed), nor when the
    folder is there already.
    """
    dirs: list[str] = config.theme.dirs
    ours = str(THEME_DIR)
    if config.theme.name != "material" or ours in dirs:
        return
    for position, folder in enumerate(dirs):
        if Path(folder).parts[-2:] == ("material", "templates"):
            dirs.insert(position, ours)
            return
