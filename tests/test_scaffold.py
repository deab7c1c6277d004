"""Scaffolds and knowledge-base skeletons (generator.scaffold), without the command line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.parse import parse_text
from generator.scaffold import (
    DEFAULT_TEMPLATE,
    Draft,
    Origin,
    ScaffoldError,
    create_postmortem,
    draft_path,
    dump_yaml,
    find_scaffold,
    init_knowledge_base,
    list_scaffolds,
    parse_iso_date,
    render_scaffold,
    skeleton_files,
)

SHIPPED = ("seed", "google-sre", "pagerduty", "atlassian", "minimal")
BUILT_INS = list_scaffolds(None)
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")

# A title that breaks naive YAML and Markdown: a colon, quotes, a hash, a leading dash.
AWKWARD = Draft(
    title='- Cache: "stampede" took down search\'s #1 index',
    date=dt.date(2025, 8, 12),
    severity="SEV-2",
    services=("search", "cache: redis"),
    authors=("Ann O'Neil", "李 雷"),
)


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    match = re.match(r"\A---\n(.*?\n)---\n", text, re.DOTALL)
    assert match, "a scaffold starts with YAML front matter"
    loaded = yaml.safe_load(match[1])
    assert isinstance(loaded, dict)
    return loaded, text[match.end() :]


def test_the_promised_templates_ship_with_descriptions() -> None:
    by_name = {scaffold.name: scaffold for scaffold in BUILT_INS}
    assert set(SHIPPED) <= set(by_name)
    assert DEFAULT_TEMPLATE == "seed"
    for name in SHIPPED:
        assert by_name[name].origin is Origin.BUILT_IN
        assert by_name[name].description, f"{name} has no first-line description"
        assert by_name[name].source.startswith("{#"), "the description is the first line"


@pytest.mark.parametrize("scaffold", BUILT_INS, ids=lambda s: s.name)
def test_front_matter_holds_exactly_what_was_given(scaffold) -> None:
    text = render_scaffold(scaffold, AWKWARD)
    meta, body = split_front_matter(text)
    assert meta["title"] == AWKWARD.title
    assert meta["date"] == AWKWARD.date
    assert meta["severity"] == "SEV-2"
    assert meta["services"] == list(AWKWARD.services)
    assert meta["authors"] == list(AWKWARD.authors)
    assert meta["status"] == "draft"
    assert meta["tags"] == []
    assert AWKWARD.title in body
    assert "TODO:" in body
    assert "{{" not in text and "{%" not in text and "{#" not in text


@pytest.mark.parametrize("scaffold", BUILT_INS, ids=lambda s: s.name)
def test_values_not_given_become_placeholders(scaffold) -> None:
    text = render_scaffold(scaffold, Draft(title="Search down", date=dt.date(2025, 1, 2)))
    meta, _ = split_front_matter(text)
    assert str(meta["severity"]).startswith("TODO:")
    assert meta["services"] == []
    assert meta["authors"] == []


@pytest.mark.parametrize("scaffold", BUILT_INS, ids=lambda s: s.name)
def test_no_section_is_empty_and_action_items_are_placeholders(scaffold) -> None:
    _, body = split_front_matter(render_scaffold(scaffold, AWKWARD))
    lines = body.split("\n")
    headings = [
        (index, len(match[1])) for index, line in enumerate(lines) if (match := HEADING.match(line))
    ]
    for position, (index, level) in enumerate(headings):
        following = headings[position + 1] if position + 1 < len(headings) else (len(lines), 0)
        content = "\n".join(lines[index + 1 : following[0]]).strip()
        has_subsection = following[1] > level
        is_field = lines[index].startswith("## Date: ")  # the seed's field in a heading
        if level > 1 and not is_field:
            assert content or has_subsection, f"empty section: {lines[index]}"
    checkboxes = [line for line in lines if line.lstrip().startswith("- [ ]")]
    assert all("TODO:" in line for line in checkboxes)


@pytest.mark.parametrize("scaffold", BUILT_INS, ids=lambda s: s.name)
def test_every_template_parses_into_the_given_postmortem(scaffold) -> None:
    text = render_scaffold(scaffold, AWKWARD)
    result = parse_text(text, source=f"postmortems/{scaffold.name}.md")
    postmortem = result.postmortem
    assert postmortem is not None
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    assert postmortem.title == AWKWARD.title
    assert postmortem.date == AWKWARD.date
    assert postmortem.severity == "SEV-2"
    assert postmortem.services == AWKWARD.services
    assert postmortem.authors == AWKWARD.authors
    kinds = {str(section.kind) for section in postmortem.sections}
    assert {"summary", "timeline", "action_items"} <= kinds
    assert postmortem.timeline, "timeline placeholders are events"
    assert postmortem.action_items, "action item placeholders are action items"


@pytest.mark.parametrize("scaffold", BUILT_INS, ids=lambda s: s.name)
def test_the_summary_placeholder_is_the_summary(scaffold) -> None:
    text = render_scaffold(scaffold, AWKWARD)
    postmortem = parse_text(text, source=f"postmortems/{scaffold.name}.md").postmortem
    assert postmortem is not None
    # Not a plain "TODO:" label opening an action-items section inside the summary, which leaves
    # the summary empty (incident lists and search excerpts show nothing).
    headings = [(s.heading, str(s.kind)) for s in postmortem.sections]
    assert "TODO:" in postmortem.summary, headings
    assert ("TODO", "action_items") not in headings


def test_seed_template_has_the_seed_structure() -> None:
    text = render_scaffold(find_scaffold("seed", None), AWKWARD)
    _, body = split_front_matter(text)
    headings = [line for line in body.split("\n") if HEADING.match(line)]
    expected = [
        f"# Postmortem: {AWKWARD.title}",
        "## Date: 2025-08-12",
        "## What Happened",
        "### Timeline",
        "### Our Mistakes",
        "## Impact",
        "### Broken Features",
        "### Dashboard Metrics Affected",
        "## Root Cause Analysis",
        "## Lessons Learned",
        "## Recovery Actions Taken",
        "## Preventive Measures",
        "## Status",
    ]
    positions = [headings.index(heading) for heading in expected]
    assert positions == sorted(positions)
    assert any(line.startswith("#### Mistake #1: ") for line in headings)
    for label in ("**What we did**", "**Why it was wrong**", "**What we should have done**"):
        assert f"- {label}: TODO:" in body
    assert "- [ ] TODO:" in body


def test_google_sre_template_has_the_action_items_table() -> None:
    text = render_scaffold(find_scaffold("google-sre", None), AWKWARD)
    assert "| Action Item | Type | Owner | Bug |" in text
    for heading in ("What went well", "What went wrong", "Where we got lucky"):
        assert f"### {heading}\n" in text


@given(st.one_of(st.text(), st.lists(st.text())))
def test_yaml_filter_round_trips_on_one_line(value: str | list[str]) -> None:
    dumped = dump_yaml(value)
    assert "\n" not in dumped
    assert yaml.safe_load(f"title: {dumped}\nnext: 1\n") == {"title": value, "next": 1}


def test_yaml_filter_keeps_text_readable() -> None:
    assert dump_yaml("検索が落ちた") == "検索が落ちた"


@given(st.text())
def test_a_draft_never_leaves_the_postmortems_folder(title: str) -> None:
    folder = Path("/kb/postmortems")
    path = draft_path(folder, Draft(title=title, date=dt.date(2025, 8, 12)))
    assert path.parent == folder
    assert path.name.startswith("2025-08-12-")
    assert path.suffix == ".md"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025-08-12", dt.date(2025, 8, 12)), (" 2024-02-29 ", dt.date(2024, 2, 29))],
)
def test_iso_dates_are_read(text: str, expected: dt.date) -> None:
    assert parse_iso_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2025-02-30", "2025-13-01", "yesterday", "2025-8-12", "20250812", "12/08/2025", ""]
)
def test_other_dates_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ScaffoldError, match="YYYY-MM-DD"):
        parse_iso_date(text)


def test_an_existing_symlink_is_never_followed(tmp_path: Path) -> None:
    postmortems = tmp_path / "postmortems"
    postmortems.mkdir()
    outside = tmp_path / "outside.md"
    draft = Draft(title="Search down", date=dt.date(2025, 8, 12))
    draft_path(postmortems, draft).symlink_to(outside)
    with pytest.raises(ScaffoldError, match="already exists"):
        create_postmortem(draft, postmortems_dir=postmortems, templates_dir=None)
    assert not outside.exists()


def test_team_templates_come_first_and_are_listed(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "site").mkdir(parents=True)
    (templates / "blameless.md.j2").write_text("{# Our own format #}\n# {{ title }}\n")
    (templates / "seed.md.j2").write_text("{# Our seed #}\n# {{ title }}\n")
    (templates / "site" / "incident.md.j2").write_text("{# a page override #}\n")
    (templates / "notes.md").write_text("not a template\n")
    by_name = {scaffold.name: scaffold for scaffold in list_scaffolds(templates)}
    assert by_name["blameless"].origin is Origin.KNOWLEDGE_BASE
    assert by_name["blameless"].description == "Our own format"
    assert by_name["seed"].origin is Origin.KNOWLEDGE_BASE
    assert by_name["google-sre"].origin is Origin.BUILT_IN
    assert "incident" not in by_name
    assert "notes" not in by_name


def test_a_broken_template_does_not_stand_in_the_way_of_another(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "latin1.md.j2").write_bytes("{# Caf\u00e9 #}\n".encode("latin-1"))
    postmortems = tmp_path / "postmortems"
    draft = Draft(title="Search down", date=dt.date(2025, 8, 12))

    path = create_postmortem(draft, postmortems_dir=postmortems, templates_dir=templates)

    assert path.read_text(encoding="utf-8").startswith("---\n")
    with pytest.raises(ScaffoldError, match=r"latin1\.md\.j2: cannot read this template"):
        list_scaffolds(templates)


def test_a_template_name_is_never_a_path(tmp_path: Path) -> None:
    (tmp_path / "outside.md.j2").write_text("{# not a scaffold #}\n# {{ title }}\n")
    (tmp_path / "templates").mkdir()
    with pytest.raises(ScaffoldError, match=r"no template named '\.\./outside'"):
        find_scaffold("../outside", tmp_path / "templates")


def test_unknown_template_lists_the_available_ones(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError) as raised:
        find_scaffold("sre", tmp_path / "templates")
    for name in SHIPPED:
        assert name in str(raised.value)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{# broken #}\n---\ntitle: {{ title }}\n---\n", "not valid YAML"),
        ("{# broken #}\n# {{ title }\n", r"broken\.md\.j2:2"),
        ("{# broken #}\n# {{ headline }}\n", "headline"),
    ],
    ids=["unquoted-front-matter", "syntax-error", "undefined-variable"],
)
def test_a_broken_team_template_writes_nothing(tmp_path: Path, source: str, message: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "broken.md.j2").write_text(source)
    postmortems = tmp_path / "postmortems"
    draft = Draft(title="Cache: down", date=dt.date(2025, 8, 12))
    with pytest.raises(ScaffoldError, match=message):
        create_postmortem(
            draft, postmortems_dir=postmortems, templates_dir=templates, template="broken"
        )
    assert not postmortems.exists() or not any(postmortems.iterdir())


def test_init_writes_a_knowledge_base_with_the_built_in_templates(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    report = init_knowledge_base(folder)
    assert report.skipped == ()
    written = {str(path) for path in report.written}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert written == on_disk
    assert {"mkdocs.yml", "docs/writing.md", ".gitignore"} <= written
    assert any(path.startswith(".github/workflows/") for path in written)
    examples = [path for path in written if path.startswith("postmortems/")]
    assert len(examples) == 1
    for scaffold in BUILT_INS:
        copied = folder / "templates" / f"{scaffold.name}.md.j2"
        assert copied.read_text(encoding="utf-8") == scaffold.source


def test_the_example_postmortem_parses_cleanly() -> None:
    ((path, data),) = [(p, d) for p, d in skeleton_files().items() if p.parts[0] == "postmortems"]
    result = parse_text(data.decode("utf-8"), source=str(path))
    postmortem = result.postmortem
    assert postmortem is not None
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    assert postmortem.summary and postmortem.timeline and postmortem.action_items
    assert "TODO:" not in data.decode("utf-8")


def test_the_skeleton_site_config_is_offline_and_uses_the_plugin() -> None:
    from mkdocs.utils.yaml import yaml_load  # noqa: PLC0415  (mkdocs.yml has custom tags)

    config = skeleton_files()[next(p for p in skeleton_files() if str(p) == "mkdocs.yml")]
    loaded = yaml_load(config.decode("utf-8"))
    assert loaded["theme"]["name"] == "material"
    assert loaded["theme"]["font"] is False
    assert "repo_url" not in loaded
    names = [next(iter(p)) if isinstance(p, dict) else p for p in loaded["plugins"]]
    assert {"search", "tags", "postmortems"} <= set(names)
