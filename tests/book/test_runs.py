"""Runs and sweeps of a tiny chapter notebook, so that each kernel start is cheap."""

from __future__ import annotations

import csv
import hashlib
import json
import shlex
import subprocess

import nbformat
import papermill
import pytest

from analysis import paths
from compendium import parameters, runs
from analysis.data.countries import CIS
from analysis.errors import ParameterError
from helpers.toy_chapter import TABLE1_CSV, glued, no_kernel, table1_row_count, write_toy

@pytest.fixture()
def toy(tmp_path, monkeypatch):
    monkeypatch.setitem(parameters.CHAPTERS, "toy", {
        "leave_out": parameters.COUNTRY_CODES,
        "fail": parameters.Parameter(bool, "raise in the last cell"),
        "scale": parameters.Parameter(float, "multiplies n in n.txt", minimum=0),
    })
    return runs.find_chapter(str(write_toy(tmp_path)))


# ---- parameters, before any kernel --------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("3", 3), ("-2", -2), ("0.5", 0.5), ("True", True), ("None", None), ("ARM", "ARM"),
    ('["ARM", "UZB"]', ["ARM", "UZB"]), ("[ARM, UZB]", ["ARM", "UZB"]), ("[]", []), ("true", "true"),
])
def test_values_are_read_like_papermill_plus_lists(text, value):
    parsed = runs.parse_value(text)
    assert parsed == value and type(parsed) is type(value)


def test_a_broken_list_names_the_problem():
    with pytest.raises(ParameterError, match="not valid YAML"):
        runs.parse_value('["ARM", ')


def test_the_parameters_cell_gives_types_and_defaults(toy):
    cell = runs.notebook_parameters(toy.notebook)
    assert list(cell) == ["leave_out", "fail", "scale"]
    assert (cell["leave_out"]["type"], cell["leave_out"]["value"]) == ("list", [])
    assert (cell["fail"]["type"], cell["scale"]["type"], cell["scale"]["value"]) == ("bool", "float", 1.0)
    assert cell["leave_out"]["help"] == "ISO3 codes to drop"
    assert cell["scale"]["help"] == "n.txt = n * scale"


def test_given_values_override_defaults_and_ints_count_as_floats(toy):
    assert runs.resolve_parameters(toy, {"scale": 2, "leave_out": ["ARM"]}) == {
        "leave_out": ["ARM"], "fail": False, "scale": 2.0}


@pytest.mark.parametrize("given, words", [
    ({"leave_out": ["FRA"]}, ["'leave_out'", "FRA", ", ".join(CIS)]),
    ({"scale": "big"}, ["'scale'", "float"]),
    ({"colour": "red"}, ["'colour'", "leave_out, fail, scale"]),
])
def test_a_bad_parameter_fails_before_any_kernel_starts(toy, tmp_path, monkeypatch, given, words):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    with pytest.raises(ParameterError) as error:
        runs.run(toy, given, runs_dir=tmp_path / "runs")
    for word in words:
        assert word in str(error.value)
    assert not (tmp_path / "runs").exists()


def test_a_declared_parameter_missing_from_the_cell_is_refused(toy, monkeypatch):
    declared = dict(parameters.CHAPTERS["toy"], seed=parameters.SEED)
    monkeypatch.setitem(parameters.CHAPTERS, "toy", declared)
    with pytest.raises(ParameterError, match="does not define them"):
        runs.resolve_parameters(toy, {"seed": 3})


def test_chapters_are_found_by_number_name_or_path(tmp_path):
    folder = tmp_path / "chapters"
    folder.mkdir()
    notebook = write_toy(folder, "05-remittances.ipynb")
    for name in ("5", "05", "remittances", "05-remittances", str(notebook)):
        chapter = runs.find_chapter(name, folder)
        assert (chapter.slug, chapter.number, chapter.notebook) == ("remittances", 5, notebook)
    with pytest.raises(ParameterError, match=r"05 \(remittances\)"):
        runs.find_chapter("9", folder)


# ---- keys and provenance, without a kernel ------------------------------------

def test_the_run_key_tells_parameters_apart_and_ignores_how_they_were_given(toy):
    state = runs.snapshot()
    default = runs.run_key(toy, runs.resolve_parameters(toy, {}), state)
    same = runs.run_key(toy, runs.resolve_parameters(toy, {"scale": 1, "leave_out": []}), state)
    other = runs.run_key(toy, runs.resolve_parameters(toy, {"leave_out": ["ARM"]}), state)
    assert default == same != other


def git_head():
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True).stdout.strip()


def test_the_snapshot_hashes_the_data_files_and_names_the_commit():
    before = git_head()  # others may commit meanwhile
    state = runs.snapshot()
    after = git_head()
    expected = hashlib.sha256(TABLE1_CSV.read_bytes()).hexdigest()
    assert state["data"]["package"]["data/paper/table1_living_standards.csv"] == expected
    assert state["git"]["commit"] in (before, after)


def test_the_snapshot_hashes_the_external_files_present_in_the_cache(tmp_path, monkeypatch):
    with (paths.DATA_DIR / "external" / "registry.csv").open(newline="", encoding="utf-8") as handle:
        names = [row["file"] for row in csv.DictReader(handle)]
    (tmp_path / names[0]).write_bytes(b"not the pinned bytes")
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(tmp_path))
    external = runs.snapshot()["data"]["external"]
    assert external["cache_dir"] == str(tmp_path)
    assert external["files"][names[0]] == hashlib.sha256(b"not the pinned bytes").hexdigest()
    assert {external["files"][name] for name in names[1:]} == {"absent"}


def test_an_interrupted_run_leaves_only_a_partial_folder(toy, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(papermill, "execute_notebook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        runs.run(toy, {}, runs_dir=tmp_path / "runs")
    folders = list((tmp_path / "runs" / "toy").iterdir())
    assert [f.name.startswith(runs.PARTIAL_PREFIX) for f in folders] == [True]
    assert runs.read_manifest(folders[0])["status"] == "interrupted"
    assert runs.successful_runs(toy, tmp_path / "runs") == {}


# ---- grids --------------------------------------------------------------------

def test_a_grid_is_the_cartesian_product_of_its_lists(tmp_path):
    grid = tmp_path / "grid.toml"
    grid.write_text('leave_out = [[], ["ARM"], ["ARM", "UZB"]]\nscale = [1.0, 2.5]\n', encoding="utf-8")
    points = runs.grid_points(runs.load_grid(grid))
    assert len(points) == 6
    assert points[0] == {"leave_out": [], "scale": 1.0}
    assert points[-1] == {"leave_out": ["ARM", "UZB"], "scale": 2.5}


@pytest.mark.parametrize("text, words", [
    ("leave_out: ARM\n", ["'leave_out'", "list of lists"]),
    ("- 1\n- 2\n", ["mapping"]),
    ("leave_out: [[ARM]\n", ["not valid YAML"]),
])
def test_a_bad_grid_file_says_what_is_wrong(tmp_path, text, words):
    grid = tmp_path / "grid.yaml"
    grid.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as error:
        runs.load_grid(grid)
    for word in words:
        assert word in str(error.value)


def test_a_grid_with_aliases_or_too_large_is_refused_before_it_is_expanded(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: &a [[ARM], [AZE]]\nother: *a\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="aliases"):
        runs.load_grid(grid)
    grid.write_text("leave_out: [" + ", ".join(["[ARM]"] * 30_000) + "]\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="at most"):
        runs.load_grid(grid)


def test_a_sweep_with_a_bad_point_starts_nothing(toy, tmp_path, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: [[ARM], [XXX]]\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="point 2 of 2.*XXX"):
        runs.sweep(toy, grid, workers=2, runs_dir=tmp_path / "runs", progress=False)
    assert not (tmp_path / "runs").exists()


# ---- with a kernel --------------------------------------------------------------

def test_leaving_out_countries_changes_the_glued_n(toy, tmp_path):
    base = runs.run(toy, {}, runs_dir=tmp_path / "runs")
    fewer = runs.run(toy, {"leave_out": ["ARM", "UZB"], "scale": 2}, runs_dir=tmp_path / "runs")
    rows = table1_row_count()
    assert (base.status, fewer.status) == ("succeeded", "succeeded")
    assert glued(base.directory / "toy.ipynb", "n") == rows
    assert glued(fewer.directory / "toy.ipynb", "n") == rows - 2
    # files the chapter wrote land in its run folder, not in the project's results/
    assert (fewer.directory / "results" / "n.txt").read_text() == str((rows - 2) * 2.0)

    manifest = runs.read_manifest(fewer.directory)
    assert manifest["status"] == "succeeded" and manifest["run_key"] == fewer.run_key
    assert manifest["parameters"] == {"leave_out": ["ARM", "UZB"], "fail": False, "scale": 2.0}
    assert manifest["files"]["results/n.txt"]["sha256"] == hashlib.sha256(str((rows - 2) * 2.0).encode()).hexdigest()
    read = {entry["input"]: entry["sha256"] for entry in manifest["data"]["read"]}
    assert read[str(TABLE1_CSV)] == hashlib.sha256(TABLE1_CSV.read_bytes()).hexdigest()
    assert manifest["started_at"] <= manifest["finished_at"]
    assert manifest["packages"]["papermill"] == papermill.__version__


def test_a_failing_run_is_marked_failed_and_leaves_earlier_runs_alone(toy, tmp_path):
    good = runs.run(toy, {}, runs_dir=tmp_path / "runs")
    before = {p: p.read_bytes() for p in good.directory.rglob("*") if p.is_file()}
    bad = runs.run(toy, {"fail": True}, runs_dir=tmp_path / "runs")
    assert bad.status == "failed" and bad.directory != good.directory
    assert bad.directory.name.endswith(runs.FAILED_SUFFIX)
    manifest = runs.read_manifest(bad.directory)
    assert manifest["status"] == "failed"
    assert manifest["error"]["ename"] == "RuntimeError"
    assert "deliberate failure" in manifest["error"]["evalue"]
    assert "raise RuntimeError" in manifest["error"]["cell_source"]
    toy_cells = nbformat.read(toy.notebook, as_version=4).cells
    assert manifest["error"]["cell_id"] == toy_cells[2].id  # the third cell raises
    assert bad.error == f"RuntimeError: deliberate failure for the test in cell {toy_cells[2].id} (In [3])"
    assert (bad.directory / "toy.ipynb").is_file()  # kept for debugging
    assert {p: p.read_bytes() for p in good.directory.rglob("*") if p.is_file()} == before
    assert list(runs.successful_runs(toy, tmp_path / "runs").values()) == [good.directory]
    assert not [p for p in (tmp_path / "runs" / "toy").iterdir() if p.name.startswith(".")]


def test_a_two_point_sweep_with_two_workers_completes_and_resumes(toy, tmp_path, monkeypatch):
    state = runs.snapshot()  # other people may edit the tree meanwhile; the resume logic is under test
    monkeypatch.setattr(runs, "snapshot", lambda: state)
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: [[], [ARM]]\n", encoding="utf-8")
    first = runs.sweep(toy, grid, workers=2, runs_dir=tmp_path / "runs", progress=False)
    assert [r.status for r in first.results] == ["succeeded", "succeeded"]
    assert [r.reused for r in first.results] == [False, False]
    rows = table1_row_count()
    assert [glued(r.directory / "toy.ipynb", "n") for r in first.results] == [rows, rows - 1]
    with first.summary.open(newline="", encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    assert [(s["leave_out"], s["status"]) for s in summary] == [("[]", "succeeded"), ('["ARM"]', "succeeded")]

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    second = runs.sweep(toy, grid, workers=2, runs_dir=tmp_path / "runs", progress=False)
    assert [r.reused for r in second.results] == [True, True]
    assert [r.directory for r in second.results] == [r.directory for r in first.results]


@pytest.mark.parametrize("value", [["ARM", "UZB"], [], True, False, None, 3, 0.25, "outer"])
def test_the_manifest_command_reads_back_as_the_same_values(toy, value):
    command = runs.reproduce_command(toy, {"x": value})
    text = shlex.split(command)[-1]
    parsed = runs.parse_value(text)
    assert parsed == value and type(parsed) is type(value)


# ---- shipped grids, chapters and documentation ----------------------------------

def test_every_shipped_grid_is_valid_against_the_declarations():
    grids = runs.shipped_grids()
    assert grids, f"no grid files in {paths.GRIDS_DIR}"
    for grid, chapter in grids:
        points = runs.grid_points(runs.load_grid(grid))
        assert len(points) >= 2, f"{grid} sweeps nothing"
        for point in points:
            runs.resolve_parameters(chapter, point)  # raises ParameterError naming the parameter


def test_every_chapter_declares_exactly_its_parameters_cell_and_its_defaults_are_allowed():
    for chapter in runs.list_chapters():
        cell = runs.notebook_parameters(chapter.notebook)
        declared = parameters.CHAPTERS.get(chapter.slug, {})
        assert set(cell) == set(declared), f"{chapter.notebook.name}: cell {list(cell)} vs declared {list(declared)}"
        parameters.validate(chapter.slug, **{name: item["value"] for name, item in cell.items()})


def documented_commands():
    """Every `compendium run|sweep` line in the appendix and the README (placeholders excepted)."""
    from compendium.rerun_page import APPENDIX

    texts = [cell.source for cell in nbformat.read(APPENDIX, as_version=4).cells if cell.cell_type == "markdown"]
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
        chapter = runs.find_chapter(words[2])
        if words[1] == "run":
            pairs = words[3:]
            assert pairs[::3] == ["-p"] * (len(pairs) // 3), words
            runs.resolve_parameters(chapter, {n: runs.parse_value(v) for n, v in zip(pairs[1::3], pairs[2::3])})
        else:
            grid = paths.ROOT / words[words.index("--grid") + 1]
            for point in runs.grid_points(runs.load_grid(grid)):
                runs.resolve_parameters(chapter, point)


def test_the_appendix_table_takes_defaults_from_the_cell_and_rules_from_the_declaration(toy, monkeypatch):
    from compendium import rerun_page

    monkeypatch.setitem(parameters.CHAPTERS, "toy", {
        "leave_out": parameters.COUNTRY_CODES,
        "scale": parameters.Parameter(float, "multiplies n", minimum=0),
    })
    table = rerun_page.parameter_table(toy)
    assert list(table.index) == ["leave_out", "fail", "scale"]
    assert table.loc["scale", ["type", "default", "allowed", "meaning"]].tolist() == [
        "float", "1.0", "a float >= 0", "multiplies n"]
    assert table.loc["fail", "allowed"].startswith("not declared")
    assert table.loc["leave_out", "allowed"] == "a list drawn from " + ", ".join(CIS)


def test_the_appendix_example_changes_one_parameter_to_an_allowed_value(toy):
    from compendium import rerun_page

    words = shlex.split(rerun_page.example_command(toy))
    assert words[:2] == ["compendium", "run"] and words[3] == "-p"
    value = runs.parse_value(words[5])
    assert runs.resolve_parameters(toy, {words[4]: value})[words[4]] != runs.notebook_parameters(
        toy.notebook)[words[4]]["value"]
