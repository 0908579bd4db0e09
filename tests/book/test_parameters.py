import pytest

from compendium import parameters
from analysis.errors import ParameterError


@pytest.fixture()
def toy_chapter(monkeypatch):
    monkeypatch.setitem(parameters.CHAPTERS, "toy", {
        "seed": parameters.SEED,
        "leave_out": parameters.COUNTRY_CODES,
        "measure": parameters.Parameter(str, "which measure", choices=("bop", "estimate")),
        "alpha": parameters.Parameter(float, "level", minimum=0, maximum=1),
    })
    return "toy"


def test_valid_values_pass_unchanged(toy_chapter):
    values = {"seed": 1, "leave_out": ["ARM", "UZB"], "measure": "bop", "alpha": 1}
    assert parameters.validate(toy_chapter, **values) == values


@pytest.mark.parametrize("values, words", [
    ({"sede": 1}, ["'sede'", "seed", "leave_out"]),
    ({"seed": "1"}, ["'seed'", "str", "int"]),
    ({"seed": True}, ["'seed'", "bool"]),
    ({"seed": -3}, ["'seed'", ">= 0"]),
    ({"leave_out": ["ARM", "FRA"]}, ["'leave_out'", "FRA", "ARM, AZE"]),
    ({"measure": "gdp"}, ["'measure'", "'bop', 'estimate'"]),
    ({"alpha": 1.5}, ["'alpha'", "<= 1"]),
])
def test_bad_values_name_the_parameter_and_what_is_allowed(toy_chapter, values, words):
    with pytest.raises(ParameterError) as error:
        parameters.validate(toy_chapter, **values)
    for word in words:
        assert word in str(error.value)


def test_unknown_chapter():
    with pytest.raises(ParameterError, match="unknown chapter"):
        parameters.validate("99-nowhere", seed=1)


def test_remittances_gdp_per_capita_source():
    assert parameters.validate("remittances", gdp_pc_source="world_bank_2003") == {"gdp_pc_source": "world_bank_2003"}
    with pytest.raises(ParameterError, match=r"'gdp_pc_source'.*'table1', 'world_bank_2003'"):
        parameters.validate("remittances", gdp_pc_source="imf_2006")
