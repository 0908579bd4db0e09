"""A run's manifest: its run key, and the command that reproduces the run."""

from __future__ import annotations

import shlex

import pytest

from compendium import chapters, manifest, provenance
from compendium.run_parameters import resolve_parameters
from compendium.values import parse_value
from helpers.toy_chapter import declare_toy, toy_book, write_toy


@pytest.fixture()
def toy(tmp_path, monkeypatch):
    declare_toy(monkeypatch)
    return chapters.from_notebook(write_toy(tmp_path))


def test_the_run_key_tells_parameters_apart_and_ignores_how_they_were_given(toy):
    state = provenance.snapshot()
    default = manifest.run_key(toy, resolve_parameters(toy, {}), state)
    same = manifest.run_key(toy, resolve_parameters(toy, {"scale": 1, "leave_out": []}), state)
    other = manifest.run_key(toy, resolve_parameters(toy, {"leave_out": ["ARM"]}), state)
    assert default == same != other


def test_the_run_key_changes_with_the_tracked_changes_and_the_data(toy):
    state = {"git": {"commit": "c", "changes_sha256": None}, "data": {"package": {"a.csv": "1"}}}
    edited = dict(state, git={"commit": "c", "changes_sha256": "d"})
    new_data = dict(state, data={"package": {"a.csv": "2"}})
    assert len({manifest.run_key(toy, {}, changed) for changed in (state, edited, new_data)}) == 3


@pytest.mark.parametrize("value", [["ARM", "UZB"], [], True, False, None, 3, 0.25, "outer"])
def test_the_manifest_command_reads_back_as_the_same_values(toy, value):
    command = manifest.reproduce_command(toy, {"x": value})
    text = shlex.split(command)[-1]
    parsed = parse_value(text)
    assert parsed == value and type(parsed) is type(value)


def test_the_command_names_a_chapter_as_the_command_line_finds_it(toy, tmp_path, monkeypatch):
    assert shlex.split(manifest.reproduce_command(toy, {}))[2] == str(toy.notebook)  # not in the book: its path
    toy_book(tmp_path / "book", monkeypatch)
    assert manifest.reproduce_command(chapters.find("toy"), {"scale": 2.0}) == "compendium run 07 -p scale 2.0"


def test_a_page_without_a_number_is_named_by_its_slug():
    assert manifest.reproduce_command(chapters.find("audit"), {}) == "compendium run audit"
