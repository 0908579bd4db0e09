"""Chapter 6: the survey figures, by hand from lines 386-393, and the scaling against Table 2."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from analysis.chapters import survival_development as sd
from analysis.errors import ParameterError


def test_jobs_and_jobs_per_firm_by_hand():
    # "about 4,000": rounded to the thousand, so 3,500-4,500; 111 firms
    assert sd.jobs_interval() == (3500, 4000, 4500)
    low, point, high = sd.jobs_per_firm()
    assert (low, point, high) == (pytest.approx(3500 / 111), pytest.approx(4000 / 111), pytest.approx(4500 / 111))
    assert sd.jobs_interval(about_multiple=0) == (4000, 4000, 4000)


def test_jobs_per_thousand_migrants_by_hand():
    scaled = sd.jobs_per_thousand_migrants(["UZB", "KGZ"]).set_index("iso3")
    # Table 2: Uzbekistan 600-700 thousand abroad, Kyrgyzstan 400-450 thousand
    assert scaled.loc["UZB", "low"] == pytest.approx(1000 * 3500 / 700_000)
    assert scaled.loc["UZB", "high"] == pytest.approx(1000 * 4500 / 600_000)
    assert scaled.loc["KGZ", "low"] == pytest.approx(1000 * 3500 / 450_000)
    assert scaled.loc["KGZ", "high"] == pytest.approx(1000 * 4500 / 400_000)


@pytest.mark.parametrize("countries, words", [([], "empty"), (["KAZ"], "KAZ"), (["BLR", "UZB"], "BLR")])
def test_countries_without_an_estimate_are_refused(countries, words):
    with pytest.raises(ParameterError, match=words):
        sd.jobs_per_thousand_migrants(countries)


def test_tables_keep_the_inconsistency_and_the_sources():
    findings = sd.findings_markdown()
    assert findings.count("location inconsistent") == 3
    assert "other Kyrgyz people" in findings and "conducted in Uzbekistan" in findings
    spending = sd.spending_markdown()
    rows = spending.strip().split("\n")[2:]
    assert [row.split(" | ")[0].strip("| ") for row in rows] == ["consumption", "human capital", "business"]
    assert "| none |" in rows[0]  # no figure is quoted for consumption
    assert "70%" in rows[1] and "111 small scale companies" in rows[2]
    assert "{cite}`kireyev2006,sadovskaya2006b`" in rows[0]


def test_figure_has_one_range_per_country():
    figure = sd.plot_jobs_per_thousand(sd.jobs_per_thousand_migrants(["UZB", "KGZ", "TJK"]))
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["Uzbekistan", "Kyrgyzstan", "Tajikistan"]
    plt.close(figure)


def test_jobs_words_round_each_range_to_one_decimal():
    scaled = sd.jobs_per_thousand_migrants(["UZB", "KGZ"])
    # 5.0-7.5 and 7.78-11.25
    assert sd.jobs_words(scaled) == {"per-thousand": "Uzbekistan 5.0\u20137.5, Kyrgyzstan 7.8\u201311.2"}


def test_headline_numbers_by_hand():
    numbers = sd.headline_numbers(about_multiple=2)
    assert numbers["tajik-pct"] == 70 and numbers["firms"] == 111
    assert (numbers["jobs-low"], numbers["jobs"], numbers["jobs-high"]) == (3000, 4000, 5000)
    assert numbers["per-firm-high"] == pytest.approx(5000 / 111)


def test_jobs_figure_starts_at_zero():
    figure = sd.plot_jobs_per_thousand(sd.jobs_per_thousand_migrants(["UZB"]))
    assert figure.axes[0].get_xlim()[0] == 0
    plt.close(figure)
