"""pmkb's templates sit between a team's ``custom_dir`` and Material's own (theme_overrides)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.theme_overrides import THEME_DIR, add_theme_overrides


def load_site(folder: Path, theme: str) -> MkDocsConfig:
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(f"site_name: Test\ntheme:\n{theme}", encoding="utf-8")
    return load_config(str(folder / "mkdocs.yml"))


def palette_template(config: MkDocsConfig) -> Path:
    """Return the file MkDocs would render as the header's light and dark switch."""
    filename = config.theme.get_env().get_template("partials/palette.html").filename
    assert filename
    return Path(filename)


def test_the_switch_is_pmkbs_and_added_once(tmp_path: Path) -> None:
    config = load_site(tmp_path, "  name: material\n")
    assert palette_template(config).parts[-4:-2] == ("material", "templates")
    add_theme_overrides(config)
    add_theme_overrides(config)  # serve runs on_config again
    assert palette_template(config) == THEME_DIR / "partials" / "palette.html"
    assert config.theme.dirs.count(str(THEME_DIR)) == 1


def test_a_teams_own_template_still_wins(tmp_path: Path) -> None:
    ours = tmp_path / "overrides" / "partials" / "palette.html"
    ours.parent.mkdir(parents=True)
    ours.write_text("<form></form>", encoding="utf-8")
    config = load_site(tmp_path, "  name: material\n  custom_dir: overrides\n")
    add_theme_overrides(config)
    assert palette_template(config) == ours.resolve()
    # Material's other templates are still found behind both.
    assert config.theme.get_env().get_template("main.html")


def test_another_theme_is_left_alone(tmp_path: Path) -> None:
    config = load_site(tmp_path, "  name: mkdocs\n")
    before = list(config.theme.dirs)
    add_theme_overrides(config)
    assert config.theme.dirs == before
