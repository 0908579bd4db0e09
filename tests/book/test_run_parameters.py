"""A run's parameters: read from the chapter's parameters cell, checked against the declarations before any kernel."""

from __future__ import annotations

import papermill
import pytest

from analysis.data.countries import CIS
from analysis.errors import ParameterError
from compendium import chapters, parameters, runs
from compendium.run_parameters import notebook_parameters, resolve_parameters
from helpers.toy_chapter import declare_toy, no_kernel, write_toy


@pytest.fixture()
def toy(tmp_path, monkeypatch):
    declare_toy(monkeypatch)
    return chapters.from_notebook(write_toy(tmp_path))


def test_the_parameters_cell_gives_types_and_defaults(toy):
    cell = notebook_parameters(toy.notebook)
    assert list(cell) == ["leave_out", "fail", "scale"]
    assert (cell["leave_out"]["type"], cell["leave_out"]["value"]) == ("list", [])
    assert (cell["fail"]["type"], cell["scale"]["type"], cell["scale"]["value"]) == ("bool", "float", 1.0)
    assert cell["leave_out"]["help"] == "ISO3 codes to drop"
    assert cell["scale"]["help"] == "n.txt = n * scale"


def test_given_values_override_defaults_and_ints_count_as_floats(toy):
    assert resolve_parameters(toy, {"scale": 2, "leave_out": ["ARM"]}) == {
        "leave_out": ["ARM"],
        "fail": False,
        "scale": 2.0,
    }


@pytest.mark.parametrize(
    "given, words",
    [
        ({"leave_out": ["FRA"]}, ["'leave_out'", "FRA", ", ".join(CIS)]),
        ({"scale": "big"}, ["'scale'", "a float"]),
        ({"colour": "red"}, ["'colour'", "leave_out, fail, scale"]),
    ],
)
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
        resolve_parameters(toy, {"seed": 3})


def test_the_audit_appendix_takes_the_audits_settings_as_parameters():
    audit = chapters.find("audit")
    values = resolve_parameters(audit, {"range_reading": "outer", "about_half_margin_pp": 5})
    assert values["range_reading"] == "outer" and values["about_half_margin_pp"] == 5.0
    with pytest.raises(ParameterError, match="'demography_start', 'demography_end'"):
        resolve_parameters(audit, {"demography_start": 2005})  # the cell's end is 2005 too
