"""Values as a reader writes them after ``-p``, read the way papermill reads them, plus lists."""

from __future__ import annotations

import pytest

from analysis.errors import ParameterError
from compendium.values import VALUE_MAX_CHARS, format_value, parse_value


@pytest.mark.parametrize(
    "text, value",
    [
        ("3", 3),
        ("-2", -2),
        ("0.5", 0.5),
        ("True", True),
        ("None", None),
        ("ARM", "ARM"),
        ('["ARM", "UZB"]', ["ARM", "UZB"]),
        ("[ARM, UZB]", ["ARM", "UZB"]),
        ("[]", []),
        ("true", "true"),
    ],
)
def test_values_are_read_like_papermill_plus_lists(text, value):
    parsed = parse_value(text)
    assert parsed == value and type(parsed) is type(value)


def test_a_broken_list_names_the_problem():
    with pytest.raises(ParameterError, match="not valid YAML"):
        parse_value('["ARM", ')


def test_a_value_too_long_is_refused_before_it_is_parsed():
    assert parse_value("[" + "A" * (VALUE_MAX_CHARS - 2) + "]") == ["A" * (VALUE_MAX_CHARS - 2)]
    with pytest.raises(ParameterError, match=f"at most {VALUE_MAX_CHARS}"):
        parse_value("[" + "A" * (VALUE_MAX_CHARS - 1) + "]")


@pytest.mark.parametrize("value", [["ARM", "UZB"], [], True, False, None, 3, 0.25, "outer"])
def test_a_formatted_value_reads_back_as_itself(value):
    parsed = parse_value(format_value(value))
    assert parsed == value and type(parsed) is type(value)
