"""Chapter 2: the transit figures as intervals, by hand from the paper's lines 111 and 159."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from analysis.chapters import transit


def test_hedged_figures_by_hand():
    figures = transit.hedged_figures(open_cap=2, about_multiple=1).set_index("label")
    stranded = figures.loc["stranded in Russia and Ukraine"]
    # "over 300,000": from 300,000, open, drawn to 2 x 300,000
    assert (stranded["draw_low"], stranded["draw_high"], bool(stranded["open_high"])) == (300_000, 600_000, True)
    ukraine = figures.loc["illegal transit migrants in Ukraine"]
    # "about 0.2 mln.": 0.2 +/- 0.05 million
    assert ukraine["draw_low"] == pytest.approx(150_000) and ukraine["draw_high"] == pytest.approx(250_000)
    russia = figures.loc["Russia, implied (total minus Ukraine)"]
    assert russia["draw_low"] == pytest.approx(300_000 - 250_000)
    assert russia["draw_high"] == pytest.approx(600_000 - 150_000)
    assert russia["kind"] == "implied" and bool(russia["open_high"])
    assert transit.range_numbers(transit.hedged_figures(open_cap=2, about_multiple=1), open_cap=2) == pytest.approx(
        {
            "open-cap": 2.0,
            "cap-thousands": 600.0,
            "ukraine-low-thousands": 150.0,
            "ukraine-high-thousands": 250.0,
            "russia-floor-thousands": 300.0 - 250.0,
        }
    )


def test_parameters_move_the_intervals():
    figures = transit.hedged_figures(open_cap=3, about_multiple=0).set_index("label")
    assert figures.loc["stranded in Russia and Ukraine", "draw_high"] == 900_000
    assert figures.loc["illegal transit migrants in Ukraine", "draw_low"] == pytest.approx(200_000)
    assert figures.loc["Russia, implied (total minus Ukraine)", "draw_low"] == pytest.approx(100_000)


def test_origin_and_transit_countries_in_the_paper_order():
    assert transit.countries("origin_country") == [
        "Afghanistan",
        "China",
        "Angola",
        "Pakistan",
        "India",
        "Sri Lanka",
        "Türkiye",
        "Ethiopia",
    ]
    assert transit.countries("transit_country") == ["Russian Federation", "Ukraine"]
    assert transit.origin_numbers() == {"n-origins": 8}
    assert transit.origin_words() == {
        "origins": "Afghanistan, China, Angola, Pakistan, India, Sri Lanka, Türkiye and Ethiopia"
    }


def test_tables_cite_the_sources_and_quote_the_text():
    table = transit.figures_markdown(transit.hedged_figures())
    assert "{cite}`iom2006`" in table and "\u201cover 300,000 transit migrants\u201d" in table
    assert "300 or more (drawn to 600)" in table and "150\u2013250" in table
    assert "implied" not in table  # the derived row is not a printed figure
    concerns = transit.concerns_markdown()
    assert concerns.count("\n") == 2 + 10  # header, rule, ten concerns
    assert "{cite}`centerpoliticalinformation2002`" in concerns
    # lines 164, 168 and 169: no citation follows in their paragraph
    assert transit.concern_numbers() == {"n-concerns": 10, "n-unsourced": 3} and concerns.count("none follows") == 3


def test_figure_has_one_row_per_figure():
    figure = transit.plot_ranges(transit.hedged_figures())
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == [
        "stranded in Russia and Ukraine",
        "illegal transit migrants in Ukraine",
        "Russia, implied (total minus Ukraine)",
    ]
    plt.close(figure)
