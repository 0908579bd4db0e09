"""Chapter 7: bilateral network and memberships, against hand counts from lines 440-486."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.chapters import cooperation
from analysis.data.countries import CIS
from analysis.errors import DataValidationError, ParameterError
from compendium import parameters


def test_adjacency_of_a_toy_network_by_hand():
    pairs = pd.DataFrame({"iso3_a": ["RUS", "RUS", "UKR", "RUS"], "iso3_b": ["UKR", "BLR", "SVK", "UKR"]})
    matrix = cooperation.adjacency(pairs, ["RUS", "UKR", "BLR", "SVK"])
    np.testing.assert_array_equal(matrix.to_numpy(), [[0, 2, 1, 0], [2, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]])
    assert (matrix == matrix.T).all().all()
    with pytest.raises(ParameterError, match="SVK"):
        cooperation.adjacency(pairs, ["RUS", "UKR", "BLR"])
    with pytest.raises(DataValidationError, match="itself"):
        cooperation.adjacency(pd.DataFrame({"iso3_a": ["RUS"], "iso3_b": ["RUS"]}), ["RUS"])


def test_degrees_of_the_paper_network_by_hand():
    degrees = cooperation.degrees(cooperation.bilateral_pairs())
    # Russia: Belarus, Tajikistan, Kyrgyzstan, Ukraine; Ukraine: Russia, Moldova, Armenia, Slovakia
    assert degrees["RUS"] == 4 and degrees["UKR"] == 4
    assert degrees["KGZ"] == 3 and degrees["TJK"] == 3 and degrees["UZB"] == 2
    assert degrees["AZE"] == 0 and degrees["GEO"] == 0
    assert degrees.sum() == 2 * 12  # twelve agreements, two ends each


def test_cis_only_network_drops_the_three_outside_partners():
    pairs = cooperation.bilateral_pairs(include_non_cis=False)
    assert len(pairs) == 9
    assert set(pairs["iso3_a"]) | set(pairs["iso3_b"]) <= set(CIS)
    assert cooperation.node_order(pairs) == list(CIS)


def test_membership_matrix_by_hand():
    matrix = cooperation.membership_matrix(["CIS", "EurAsEC", "GUAM", "EurAsEC visa-free agreement (2005)"])
    assert matrix["CIS"].all() and len(matrix) == 12
    assert sorted(matrix.index[matrix["GUAM"]]) == ["Azerbaijan", "Georgia", "Moldova", "Ukraine"]
    assert matrix["EurAsEC"].sum() == 6
    # the one EurAsEC member the paper does not list as a party to the visa-free agreement
    gap = matrix.index[matrix["EurAsEC"] & ~matrix["EurAsEC visa-free agreement (2005)"]]
    assert list(gap) == ["Uzbekistan"]
    assert not (matrix["EurAsEC"] & matrix["GUAM"]).any()


def test_bad_groupings_are_refused():
    with pytest.raises(ParameterError, match="NATO"):
        cooperation.membership_matrix(["CIS", "NATO"])


def test_declared_groupings_match_the_module():
    assert parameters.CHAPTERS["common-labour-market"]["groupings"].item_choices == cooperation.GROUPINGS


def test_instruments_table_has_every_row():
    counts = cooperation.counts_by_kind()
    assert counts == {
        "organisation": 4,
        "multilateral_agreement": 6,
        "bilateral_agreement": 12,
        "project": 3,
        "non_government_activity": 3,
    }
    table = cooperation.instruments_markdown()
    assert table.strip().count("\n") == 1 + sum(counts.values())
    assert "since 2004" in table and "established 2003" in table
    assert cooperation.instrument_numbers() == {
        "n-organisation": 4,
        "n-multilateral": 6,
        "n-bilateral": 12,
        "n-project": 3,
        "n-ngo": 3,
        "n-dated": 6,
    }


def test_figures_render():
    network = cooperation.plot_network(cooperation.bilateral_pairs())
    assert len(network.axes[0].get_lines()) == 12  # one line per agreement
    grid = cooperation.plot_membership(cooperation.membership_matrix(list(cooperation.ORGANISATIONS)))
    assert len(grid.axes[0].get_xticklabels()) == 3
    plt.close("all")


def test_summaries_by_hand():
    pairs = cooperation.bilateral_pairs()
    assert cooperation.network_numbers(pairs) == {"n-drawn": 12, "n-non-cis": 3}
    assert cooperation.network_words(pairs) == {
        "top": "Russian Federation and Ukraine",
        "top-phrase": "Russian Federation and Ukraine have the most, 4 each",
        "without": "Azerbaijan and Georgia",
    }
    cis_only = cooperation.bilateral_pairs(include_non_cis=False)
    # the three agreements with non-CIS partners are counted whether or not they are drawn
    assert cooperation.network_numbers(cis_only) == {"n-drawn": 9, "n-non-cis": 3}
    words = cooperation.network_words(cis_only)
    assert (words["top"], words["top-phrase"]) == ("Russian Federation", "Russian Federation has the most, 4")
    assert cooperation.not_party("EurAsEC", "EurAsEC visa-free agreement (2005)") == ["Uzbekistan"]
    assert cooperation.membership_words() == {"visa-gap": "Uzbekistan"}


def test_network_words_list_every_state_without_an_agreement():
    # a chain through all twelve CIS states leaves none out; one pair leaves ten out, listed in footnote order
    chain = pd.DataFrame({"iso3_a": list(CIS[:-1]), "iso3_b": list(CIS[1:])})
    assert cooperation.network_words(chain)["without"] == "none"
    one = cooperation.network_words(pd.DataFrame({"iso3_a": ["RUS"], "iso3_b": ["UKR"]}))
    assert one["without"] == (
        "Armenia, Azerbaijan, Belarus, Georgia, Kazakhstan, Kyrgyzstan, Moldova, Tajikistan, "
        "Turkmenistan and Uzbekistan"
    )
    assert one["top-phrase"] == "Russian Federation and Ukraine have the most, 1 each"


def test_count_dated_by_hand():
    # 1994, 1998, 2005 and 2000 (agreements), since 2004 (Budapest Process), 2003 (IALM)
    assert cooperation.count_dated() == 6
