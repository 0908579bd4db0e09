"""The appendix "Re-running the analysis", and every command the documentation shows."""

from __future__ import annotations

import shlex

import nbformat
import pytest

from analysis import paths
from analysis.data.countries import CIS
from compendium import chapters, parameters, rerun_page, sweeps
from compendium.run_parameters import notebook_parameters, resolve_parameters
from compendium.values import parse_value
from helpers.toy_chapter import declare_toy, write_toy


@pytest.fixture()
def toy(tmp_path, monkeypatch):
    declare_toy(monkeypatch)
    return chapters.from_notebook(write_toy(tmp_path))


def test_the_appendix_table_takes_defaults_from_the_cell_and_rules_from_the_declaration(toy, monkeypatch):
    monkeypatch.setitem(
        parameters.CHAPTERS,
        "toy",
        {
            "leave_out": parameters.COUNTRY_CODES,
            "scale": parameters.Parameter(float, "multiplies n", minimum=0),
        },
    )
    table = rerun_page.parameter_table(toy)
    assert list(table.index) == ["leave_out", "fail", "scale"]
    assert table.loc["scale", ["type", "default", "allowed", "meaning"]].tolist() == [
        "float",
        "1.0",
        "a float >= 0",
        "multiplies n",
    ]
    assert table.loc["fail", "allowed"].startswith("not declared")
    assert table.loc["leave_out", "allowed"] == "a list drawn from " + ", ".join(CIS)


def test_the_appendix_example_changes_one_parameter_to_an_allowed_value(toy):
    words = shlex.split(rerun_page.example_command(toy))
    assert words[:2] == ["compendium", "run"] and words[3] == "-p"
    value = parse_value(words[5])
    assert resolve_parameters(toy, {words[4]: value})[words[4]] != notebook_parameters(toy.notebook)[words[4]]["value"]


def test_the_audit_appendix_is_listed_by_its_slug():
    headings = [heading for heading, _ in rerun_page.chapters()]
    assert headings[-1].startswith("**Audit: every number the paper states** (`book/appendix-audit.ipynb`)")
    assert "`compendium run audit -p " in headings[-1]


def documented_commands():
    """Every `compendium run|sweep` line in the appendix and the README (placeholders excepted)."""
    texts = [
        cell.source for cell in nbformat.read(rerun_page.APPENDIX, as_version=4).cells if cell.cell_type == "markdown"
    ]
    readme = paths.ROOT / "README.md"
    if readme.is_file():
        texts.append(readme.read_text(encoding="utf-8"))
    for text in texts:
        for line in text.splitlines():
            command = line.strip().removeprefix("$ ")
            if command.startswith(("compendium run ", "compendium sweep ")) and "CHAPTER" not in command:
                yield shlex.split(command)


def test_the_commands_shown_in_the_docs_are_valid():
    commands = list(documented_commands())
    assert {words[1] for words in commands} == {"run", "sweep"}
    for words in commands:
        chapter = chapters.find(words[2])
        if words[1] == "run":
            pairs = words[3:]
            assert pairs[::3] == ["-p"] * (len(pairs) // 3), words
            resolve_parameters(chapter, {n: parse_value(v) for n, v in zip(pairs[1::3], pairs[2::3])})
        else:
            grid = paths.ROOT / words[words.index("--grid") + 1]
            for point in sweeps.grid_points(sweeps.load_grid(grid)):
                resolve_parameters(chapter, point)
