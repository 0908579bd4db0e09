"""Chapter 13 (the EAEU common labour market): donor pools by their declared rules, S1 and E1 on the real
files against independent computations, and the results' columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.chapters import eaeu
from analysis.data.countries import POST_SOVIET
from analysis.errors import ParameterError
from analysis.models import synthetic

START, TREATMENT, PLACEBO, END = 2005, 2015, 2010, 2019


@pytest.fixture(scope="module")
def data(mirror_folder):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.DATA_CACHE_ENV, str(mirror_folder))
        yield eaeu.frame(START, END)


def test_world_pool_follows_its_rule(data):
    donors = eaeu.pool(data, "world", 1e6)
    assert not set(donors) & set(POST_SOVIET)
    window = data[data["iso3"].isin(donors)]
    assert window[list(eaeu.OUTCOMES.values())].notna().all().all()
    assert (window.groupby("iso3").size() == END - START + 1).all()
    assert window["population"].min() >= 1e6
    # Without the population threshold the pool only grows.
    assert set(donors) < set(eaeu.pool(data, "world", 0))


def test_russia_dependent_pool_is_the_named_non_members(data):
    assert eaeu.pool(data, "russia_dependent", 1e6) == sorted(eaeu.RUSSIA_DEPENDENT)
    with pytest.raises(ParameterError, match="donor pool 'eu'"):
        eaeu.pool(data, "eu", 1e6)


def test_synth_rows_match_a_refit_and_a_hand_placebo_count(data):
    study = eaeu.synth_study(
        data,
        ["ARM"],
        ["share"],
        ["russia_dependent"],
        start=START,
        treatment_year=TREATMENT,
        placebo_year=PLACEBO,
        end=END,
        min_population=1e6,
    )
    row = study["rows"].iloc[0]
    assert list(study["rows"].columns[:7]) == [
        "treated",
        "outcome",
        "donor_pool",
        "pre_rmspe",
        "post_effect",
        "placebo_p",
        "n_donors",
    ]
    table = data.pivot(index="year", columns="iso3", values="remittances_pct_gdp")
    donors = sorted(eaeu.RUSSIA_DEPENDENT)
    fit = study["fits"][("ARM", "share", "russia_dependent")]["main"]
    synthetic_path = table.loc[START:END, donors].to_numpy() @ fit.weights[donors].to_numpy()
    gap = table.loc[START:END, "ARM"].to_numpy() - synthetic_path
    pre = TREATMENT - START
    assert row["pre_rmspe"] == pytest.approx(np.sqrt(np.mean(gap[:pre] ** 2)), rel=1e-9)
    assert row["post_effect"] == pytest.approx(np.mean(gap[pre:]), rel=1e-9)
    ratio = np.sqrt(np.mean(gap[pre:] ** 2)) / np.sqrt(np.mean(gap[:pre] ** 2))
    placebo_ratios = [
        placebo.ratio for placebo in study["fits"][("ARM", "share", "russia_dependent")]["placebos"].values()
    ]
    assert row["placebo_p"] == pytest.approx((1 + sum(r >= ratio for r in placebo_ratios)) / 6)
    assert row["n_donors"] == 5


def test_in_time_placebo_ends_before_the_treatment(data):
    study = eaeu.synth_study(
        data,
        ["KGZ"],
        ["log_usd"],
        ["russia_dependent"],
        start=START,
        treatment_year=TREATMENT,
        placebo_year=PLACEBO,
        end=END,
        min_population=1e6,
    )
    table = eaeu.outcome_table(data, "log_usd")
    fake = synthetic.fit(table, "KGZ", sorted(eaeu.RUSSIA_DEPENDENT), range(START, PLACEBO), range(PLACEBO, TREATMENT))
    assert study["rows"]["in_time_effect"].iloc[0] == pytest.approx(fake.post_effect, rel=1e-9)
    with pytest.raises(ParameterError, match="placebo year 2016"):
        eaeu.synth_study(
            data,
            ["KGZ"],
            ["log_usd"],
            ["world"],
            start=START,
            treatment_year=TREATMENT,
            placebo_year=2016,
            end=END,
            min_population=1e6,
        )
    with pytest.raises(ParameterError, match=r"treated=\['TJK'\]"):
        eaeu.synth_study(
            data,
            ["TJK"],
            ["log_usd"],
            ["world"],
            start=START,
            treatment_year=TREATMENT,
            placebo_year=PLACEBO,
            end=END,
            min_population=1e6,
        )


def test_event_study_pooled_effect_is_the_hand_difference_in_differences(data):
    events = eaeu.event_study(data, ["ARM", "KGZ"], ["share"], start=START, treatment_year=TREATMENT, end=END)
    pooled = events[events["term"] == "post_average"].iloc[0]
    # Balanced panel of 7 countries: the two-way fixed-effects DiD is the difference of the before-after changes.
    rows = data[data["iso3"].isin(["ARM", "KGZ", *eaeu.RUSSIA_DEPENDENT])]
    after = rows["year"] >= TREATMENT
    change = (
        rows[after].groupby("iso3")["remittances_pct_gdp"].mean()
        - rows[~after].groupby("iso3")["remittances_pct_gdp"].mean()
    )
    by_hand = change[["ARM", "KGZ"]].mean() - change[list(eaeu.RUSSIA_DEPENDENT)].mean()
    assert pooled["coef"] == pytest.approx(by_hand, rel=1e-8)
    assert pooled["assignments"] == 21 and pooled["n_clusters"] == 7
    assert 1 / 21 <= pooled["p_randomization"] <= 1
    leads = events[(events["term"] == "event_time") & (events["event_time"] < 0)]
    assert sorted(leads["event_time"]) == list(range(START - TREATMENT, -1))


@pytest.fixture(scope="module")
def armenia_share(data):
    """Armenia's remittance share against the Russia-dependent pool: the synthetic control and the event study."""
    study = eaeu.synth_study(
        data,
        ["ARM"],
        ["share"],
        ["russia_dependent"],
        start=START,
        treatment_year=TREATMENT,
        placebo_year=PLACEBO,
        end=END,
        min_population=1e6,
    )
    events = eaeu.event_study(data, ["ARM"], ["share"], start=START, treatment_year=TREATMENT, end=END)
    return study, events


def test_written_results_have_the_promised_columns(armenia_share, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RESULTS_DIR", tmp_path)
    study, events = armenia_share
    written = eaeu.write(study["rows"], events)
    synth = pd.read_csv(written["eaeu_synth"]["csv"])
    assert list(synth.columns[:7]) == [
        "treated",
        "outcome",
        "donor_pool",
        "pre_rmspe",
        "post_effect",
        "placebo_p",
        "n_donors",
    ]
    assert "wdi.rda=" in synth["external_sha256"].iloc[0]
    assert {"event_time", "post_average"} == set(pd.read_csv(written["eaeu_event_study"]["csv"])["term"])


def test_synth_sentences_name_every_fit():
    rows = pd.DataFrame(
        {
            "treated": ["ARM", "ARM"],
            "outcome": ["share", "share"],
            "donor_pool": ["world", "russia_dependent"],
            "post_effect": [-4.3456, -2.0],
            "placebo_p": [0.556, 0.5],
            "pre_rmspe": [0.85, 1.57],
        }
    )
    text = eaeu.synth_sentences(rows)
    assert text == (
        "- Armenia, remittances, % of GDP (percentage points of GDP): -4.35 with the world pool "
        "(placebo p = 0.56, pre-treatment RMSPE 0.85); -2.00 with the Russia-dependent pool "
        "(placebo p = 0.50, pre-treatment RMSPE 1.57)."
    )


def test_glued_numbers_are_plain_python_values(armenia_share):
    """A numpy scalar would be glued as 'np.float64(...)', which {glue:text} cannot format."""
    study, events = armenia_share
    for numbers in (eaeu.synth_numbers(study["rows"]), eaeu.event_numbers(events)):
        for key, value in numbers.items():
            assert type(value) in (int, float, str), (key, type(value))
