"""Chapter 5's data and model choices, checked against hand computations from Table 3 and the text."""

from __future__ import annotations

import csv
import itertools
import math
import shutil
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import audit, package_check, paths, results
from analysis.chapters import remittances, remittances_numbers
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.models import catalogue
from helpers.glue_values import assert_gluable

# Table 1 GDP per capita and Table 3's printed estimate shares, typed from the paper for hand checks.
GDP_PC = {"ARM": 1234.0, "AZE": 2585.9, "GEO": 1765.8, "KGZ": 507.7, "MDA": 917.4, "TJK": 411.5, "UZB": 498.6}
ESTIMATE_SHARE = {"ARM": 30.8, "AZE": 9.5, "GEO": 6.9, "KGZ": 22.5, "MDA": 25.6, "TJK": 31.5, "UZB": 6.9}


def test_table3_long_printed():
    long = remittances.table3_long("printed")
    assert len(long) == 7 * 5
    armenia = long[long["iso3"] == "ARM"].set_index("flow")
    assert armenia.loc["remittances, estimate", ["level_musd", "share_pct_gdp"]].tolist() == [850, 30.8]
    assert armenia.loc["ODA 2002", ["level_musd", "share_pct_gdp"]].tolist() == [293, 12.4]
    uzbek_bop = long[(long["iso3"] == "UZB") & (long["flow"] == "remittances, BOP 2003")]
    assert uzbek_bop[["level_musd", "share_pct_gdp"]].isna().all().all()  # "n.a." is missing, not zero


def test_table3_long_recomputed_by_hand():
    armenia = remittances.table3_long("recomputed").query("iso3 == 'ARM'").set_index("flow")["share_pct_gdp"]
    assert armenia["remittances, BOP 2003"] == pytest.approx(100 * 162 / 2760)
    assert armenia["ODA 2002"] == pytest.approx(100 * 293 / 2760)  # the table pairs ODA 2002 with GDP 2003
    with pytest.raises(ParameterError, match="printed, recomputed"):
        remittances.table3_long("estimated")


def test_flows_compared_by_hand():
    compared = remittances.flows_compared().set_index(["remittance measure", "compared with"])
    bop, estimate = remittances.REMITTANCE_FLOWS
    # BOP 162>121 ARM, 156<2352 AZE, 237<334 GEO, 100>46 KGZ, 464>58 MDA, 146>32 TJK; UZB n.a.
    assert compared.loc[(bop, "FDI 2003"), ["larger in", "n"]].tolist() == [4, 6]
    assert compared.loc[(bop, "FDI 2003"), "countries"] == "Armenia, Kyrgyzstan, Moldova, Tajikistan"
    # BOP above ODA only for Moldova (464 > 142)
    assert compared.loc[(bop, "ODA 2002"), ["larger in", "n", "countries"]].tolist() == [1, 6, "Moldova"]
    assert compared.loc[(bop, "exports 2003"), "larger in"] == 0
    # the estimate is below ODA only for Georgia (275 < 313), above exports only for Armenia (850 > 678)
    assert compared.loc[(estimate, "ODA 2002"), ["larger in", "n"]].tolist() == [6, 7]
    assert compared.loc[(estimate, "exports 2003"), "countries"] == "Armenia"
    table = remittances.flows_compared_table(compared.reset_index())
    assert table.loc[bop, "FDI 2003"] == "4 of 6" and table.loc[estimate, "ODA 2002"] == "6 of 7"


def test_russia_growth_by_hand():
    growth = remittances.russia_growth(remittances.statements())
    assert (growth["from_busd"], growth["to_busd"], growth["years"]) == (0.5, 3.5, 5)
    assert growth["factor"] == pytest.approx(7.0) and growth["stated_factor"] == 7.0
    # 0.5 * (1 + g)^5 = 3.5
    assert 0.5 * (1 + growth["annual_growth_pct"] / 100) ** 5 == pytest.approx(3.5, rel=1e-12)
    assert growth["annual_growth_pct"] == pytest.approx(100 * (math.exp(math.log(7) / 5) - 1), rel=1e-12)


def test_kazakhstan_growth_by_hand():
    growth = remittances.kazakhstan_growth(remittances.statements())
    assert (growth["annual_low"], growth["annual_high"]) == (1.5, 2.0)
    assert growth["cumulative_low"] == pytest.approx(1.5 * 1.5 * 1.5 * 1.5 * 1.5)
    assert growth["cumulative_high"] == 32


def test_statements_table_keeps_bounds_and_ranges():
    table = remittances.statements_table(remittances.statements())
    values = dict(zip(table["period"], table["value as stated"]))
    assert values["2005"] == "more than 1"
    assert values["annually, as stated in 2006"] == "7–8"
    assert values["1999"] == "0.5"


def test_a_statement_with_the_wrong_unit_is_refused(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    descriptor = tmp_path / "data" / "datapackage.json"
    csv = tmp_path / "data" / "paper" / f"{remittances.STATEMENTS}.csv"
    text = csv.read_text(encoding="utf-8")
    old = "2004,level,3.5,3.5,US$ billion a year"
    assert old in text
    csv.write_text(text.replace(old, "2004,level,3.5,3.5,times a year"), encoding="utf-8")
    package_check.rehash(descriptor)
    with pytest.raises(DataValidationError) as error:
        remittances.russia_growth(remittances.statements(descriptor))
    assert "cbr_russia_to_cis_2004" in str(error.value) and "'unit'" in str(error.value)


def test_recorded_shares_by_hand():
    shares = remittances.recorded_shares().set_index("label")
    assert "Uzbekistan" not in shares.index  # no BOP value
    assert shares.loc["Armenia", ["low_pct", "high_pct"]].tolist() == pytest.approx([100 * 162 / 850] * 2)
    assert shares.loc["Moldova", "low_pct"] == pytest.approx(100 * 464 / 500)
    # 3.5 billion recorded (2004) of 7-8 billion taken away
    assert shares.loc["Russia (outflows)", ["low_pct", "high_pct"]].tolist() == pytest.approx([43.75, 50.0])


def test_model_ids():
    assert remittances.model_id("estimate", "printed") == "M1"
    assert remittances.model_id("bop", "recomputed") == "M4"
    with pytest.raises(ParameterError, match="measure"):
        remittances.model_id("gdp", "printed")


def test_leaving_a_country_out_changes_n_and_the_slope():
    kept = [code for code in GDP_PC if code != "ARM"]
    estimate = catalogue.fit("M1", frame=remittances.remittance_frame(["ARM"]), boot_draws=200)
    assert estimate.analysis.data.n == 6 and "ARM" not in estimate.analysis.data.codes
    slope, _ = np.polyfit(np.log([GDP_PC[c] for c in kept]), [ESTIMATE_SHARE[c] for c in kept], 1)
    assert estimate.analysis.ols.coef == pytest.approx(slope, abs=1e-8)
    # M2 has no Uzbek value: leaving Uzbekistan out leaves n at 6, leaving Armenia out makes it 5
    assert catalogue.model_data("M2", frame=remittances.remittance_frame(["UZB"])).n == 6
    assert catalogue.model_data("M2", frame=remittances.remittance_frame(["ARM"])).n == 5


@pytest.mark.parametrize("leave_out, words", [(["RUS"], ["RUS", "ARM"]), ("ARM", ["list", "'ARM'"])])
def test_bad_leave_out_is_refused(leave_out, words):
    with pytest.raises(ParameterError) as error:
        remittances.remittance_frame(leave_out)
    for word in words:
        assert word in str(error.value)


def test_results_names_keep_the_books_files_apart():
    assert remittances.results_name("multiverse_summary", gdp_pc_source="table1") == "multiverse_summary"
    assert (
        remittances.results_name("multiverse_summary", ["MDA"], gdp_pc_source="world_bank_2003")
        == "multiverse_summary-without-MDA-gdp-pc-world_bank_2003"
    )
    with pytest.raises(ParameterError, match=r"gdp_pc_source 'imf' is unknown.*table1, world_bank_2003"):
        remittances.results_name("multiverse", gdp_pc_source="imf")
    assert remittances.results_name("models") == "models"
    assert remittances.results_name("multiverse", p_method="permutation") == "multiverse"
    assert (
        remittances.results_name("models", ["UZB", "ARM"], seed=1, boot_draws=500)
        == "models-without-ARM-UZB-seed1-draws500"
    )
    assert remittances.results_name("multiverse", p_method="classical") == "multiverse-classical"


def test_inference_table_reports_the_fit():
    estimate = catalogue.fit("M1", boot_draws=200)
    table = remittances.inference_table(estimate)
    slope, _ = np.polyfit(np.log(list(GDP_PC.values())), list(ESTIMATE_SHARE.values()), 1)
    assert table.loc["slope", "value"] == f"{slope:.2f}"
    assert table.loc["countries (n)", "value"] == "7"
    assert table.loc["exact permutation p", "note"] == "all 5,040 orderings"
    assert "200 draws" in table.loc["pairs bootstrap 95% interval", "note"]


def test_models_table():
    rows = results.model_rows(catalogue.fit_all(list(remittances.CHAPTER_MODELS), boot_draws=200))
    table = remittances.models_table(rows)
    assert list(table.index) == ["M1", "M2", "M3", "M4", "M5"]
    assert table["n"].tolist() == [7, 6, 7, 6, 7]


@pytest.mark.parametrize("n, alpha", [(7, 0.05), (6, 0.05), (12, 0.01)])
def test_critical_correlation_sits_exactly_at_alpha(n, alpha):
    r = remittances.critical_correlation(n, alpha)
    # Build data with exactly this correlation and let scipy test it.
    rng = np.random.default_rng(1)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    x = (x - x.mean()) / x.std()
    z = z - z.mean()
    z = z - (z @ x) / (x @ x) * x
    z = z / z.std()
    y = r * x + math.sqrt(1 - r * r) * z
    result = stats.pearsonr(x, y)
    assert result.statistic == pytest.approx(r, abs=1e-12)
    assert result.pvalue == pytest.approx(alpha, abs=1e-10)
    with pytest.raises(ParameterError):
        remittances.critical_correlation(2)


def test_smallest_permutation_p_is_reached_by_brute_force():
    x = np.array([0, 1, 2, 3, 4, 5, 20], dtype=float)
    y = x.copy()
    xc = x - x.mean()
    observed = abs(xc @ y)
    hits = sum(abs(xc @ y[list(order)]) >= observed - 1e-9 for order in itertools.permutations(range(7)))
    assert hits == 1
    assert remittances.smallest_permutation_p(7) == hits / math.factorial(7) == 1 / 5040


def test_statements_agree_with_the_claims_ledger():
    """The same numbers are transcribed twice (here and in the audit's ledger); they must agree."""
    ledger = {claim.check: claim.values for claim in audit.read_ledger()}
    frame = remittances.statements()
    assert (
        frame.loc["cbr_russia_to_cis_1999", "low"],
        frame.loc["cbr_russia_to_cis_2004", "low"],
        frame.loc["cbr_russia_to_cis_growth", "low"],
    ) == (
        ledger["sevenfold_increase"]["from"],
        ledger["sevenfold_increase"]["to"],
        ledger["sevenfold_increase"]["factor"],
    )
    assert frame.loc["nbk_kazakhstan_official_growth", ["low", "high"]].tolist() == [
        ledger["kazakhstan_growth_external"]["low"],
        ledger["kazakhstan_growth_external"]["high"],
    ]
    assert frame.loc["nbk_kazakhstan_official_2005", "low"] == ledger["kazakhstan_level_external"]["level"]
    assert frame.loc["fms_russia_taken_away", ["low", "high"]].tolist() == [
        ledger["fms_outflows_external"]["low"],
        ledger["fms_outflows_external"]["high"],
    ]


def test_statement_sources_are_in_the_bibliography():
    keys = set()
    for entry in remittances.statements()["source_keys"].dropna():
        keys |= set(entry.split(";"))
    bibliography = paths.BIBLIOGRAPHY.read_text(encoding="utf-8")
    for key in keys:
        assert f"{{{key}," in bibliography, key


@pytest.mark.paper
def test_statements_quote_the_paper(paper_lines):
    for statement_id, row in remittances.statements().iterrows():
        assert row["printed_text"] in paper_lines[row["paper_line"] - 1], statement_id
        assert f"{row['low']:g}" in row["printed_text"], statement_id
        if not pd.isna(row["high"]):
            assert f"{row['high']:g}" in row["printed_text"], statement_id


def test_declared_leave_out_choices_are_table3s_countries():
    from compendium.parameters import CHAPTERS

    assert set(CHAPTERS["remittances"]["leave_out"].item_choices) == set(remittances.table3_codes())
    assert set(remittances.table3_codes()) == set(GDP_PC)


def test_slope_phrases_follow_the_numbers():
    default = remittances_numbers.slope_phrases(catalogue.fit("M1", boot_draws=200))
    # slope -6.42 with p = 0.36 (classical); the bootstrap interval straddles zero
    assert "poorer" in default["direction"]
    assert default["strength"].startswith("no method")
    assert default["bootstrap"] == "includes zero"
    # a perfect negative relation: every method rejects zero
    frame = catalogue.remittance_variables().copy()
    frame["share_estimate_printed"] = 40 - 5 * frame["log_gdp_pc"]
    strong = remittances_numbers.slope_phrases(catalogue.fit("M1", frame=frame, boot_draws=200))
    assert strong["strength"].startswith("every method") and strong["bootstrap"] == "excludes zero"


@pytest.mark.parametrize(
    "negative, significant, words",
    [
        (0.98, 0.16, ["same in nearly every", "minority"]),
        (0.96, 0.0, ["same in nearly every", "none of them"]),
        (0.5, 0.16, ["depends on", "minority"]),
        (0.05, 0.8, ["same in nearly every", "most of them"]),
    ],
)
def test_curve_phrase(negative, significant, words):
    sentence = remittances_numbers.curve_phrase(negative, significant)
    for word in words:
        assert word in sentence


def _summary(rows):
    return pd.DataFrame(
        rows, columns=["regressor", "estimator", "specifications", "share_negative", "share_p_below_alpha"]
    )


def test_family_counts_and_where_the_significant_specifications_are():
    summary = _summary(
        [
            ("gdp_pc", "ols", 48, 1.0, 0.0),
            ("gdp_pc", "spearman", 48, 0.75, 0.0),
            ("gdp", "ols", 48, 1.0, 0.25),
            ("gdp", "spearman", 48, 1.0, 0.5),
        ]
    )
    counts = remittances_numbers.family_counts(summary)
    # per capita: 48 + 36 negative of 96, none significant; total GDP: 12 + 24 significant
    assert counts.loc["gdp_pc", ["specifications", "negative", "significant"]].tolist() == [96, 84, 0]
    assert counts.loc["gdp", "significant"] == 36
    assert counts.loc["gdp_pc", "share_negative"] == pytest.approx(84 / 96)
    assert remittances_numbers.significance_phrase(counts).startswith(
        "All 36 specifications with p < 0.05 use total GDP"
    )
    mixed = remittances_numbers.family_counts(
        _summary([("gdp_pc", "ols", 48, 1.0, 0.0625), ("gdp", "ols", 48, 1.0, 0.125)])
    )
    assert remittances_numbers.significance_phrase(mixed).startswith("6 of the 9 specifications")
    none = remittances_numbers.family_counts(_summary([("gdp_pc", "ols", 48, 1.0, 0.0), ("gdp", "ols", 48, 1.0, 0.0)]))
    assert remittances_numbers.significance_phrase(none) == "No specification reaches p < 0.05."


def _world_bank_by_hand(folder, year="2003"):
    """GDP over population from the raw CSV lines of the two pinned files, by ISO3 code."""
    values = {}
    for name in ("gdp.csv", "population.csv"):
        with open(folder / name, encoding="utf-8", newline="") as handle:
            values[name] = {
                row["Country Code"]: float(row["Value"])
                for row in csv.DictReader(handle)
                if row["Year"] == year and row["Country Code"] in GDP_PC
            }
    return {code: values["gdp.csv"][code] / values["population.csv"][code] for code in GDP_PC}


def test_world_bank_gdp_per_capita_by_hand(mirror):
    hand = _world_bank_by_hand(mirror)
    # Armenia 2003: 2,807,061,008.69 US$ over 3,182,500 people
    assert hand["ARM"] == pytest.approx(2807061008.6908445 / 3182500, rel=1e-12)
    frame = remittances.world_bank_gdp_per_capita(["TJK", "ARM"])
    assert frame["iso3"].tolist() == ["TJK", "ARM"]
    assert frame["gdp_pc"].tolist() == pytest.approx([hand["TJK"], hand["ARM"]], rel=1e-12)
    with pytest.raises(DataUnavailableError, match=r"gdp.csv: no value for \['ARM'\] in 1950.*gdp_pc_source='table1'"):
        remittances.world_bank_gdp_per_capita(["ARM"], year=1950)


def test_the_world_bank_frame_changes_only_gdp_per_capita(mirror):
    hand = _world_bank_by_hand(mirror)
    default = remittances.remittance_frame(["UZB"])
    world_bank = remittances.remittance_frame(["UZB"], "world_bank_2003")
    assert world_bank["log_gdp_pc"].tolist() == pytest.approx([math.log(hand[c]) for c in world_bank["iso3"]])
    unchanged = [column for column in default.columns if column not in ("gdp_pc", "log_gdp_pc")]
    pd.testing.assert_frame_equal(world_bank[unchanged], default[unchanged])
    with pytest.raises(ParameterError, match=r"gdp_pc_source 'imf' is unknown"):
        remittances.remittance_frame([], "imf")


def test_the_chapters_model_with_each_gdp_per_capita(mirror):
    hand = _world_bank_by_hand(mirror)
    by_source = remittances.fit_by_gdp_pc_source("M1", boot_draws=200)
    assert list(by_source) == ["table1", "world_bank_2003"]
    shares = list(ESTIMATE_SHARE.values())
    for source, gdp_pc in (("table1", GDP_PC), ("world_bank_2003", hand)):
        slope, _ = np.polyfit(np.log([gdp_pc[c] for c in ESTIMATE_SHARE]), shares, 1)
        assert by_source[source].analysis.ols.coef == pytest.approx(slope, abs=1e-8)
    table = remittances.gdp_pc_fits_table(by_source)
    assert table.index.tolist() == list(remittances.GDP_PC_SOURCES.values())
    assert table["slope"].tolist() == [f"{by_source[s].analysis.ols.coef:.2f}" for s in by_source]
    with pytest.raises(ParameterError, match=r"'M5' has no GDP per capita regressor"):
        remittances.fit_by_gdp_pc_source("M5")


def test_gdp_pc_compared_by_hand(mirror):
    hand = _world_bank_by_hand(mirror)
    compared = remittances.gdp_pc_compared().set_index("country")
    assert compared.loc["Azerbaijan", "ratio"] == pytest.approx(2585.9 / hand["AZE"])
    assert compared.loc["Uzbekistan", "table1"] == 498.6


def test_model_description_never_gives_a_variant_a_catalogue_id():
    assert remittances.model_description("M2") == {"label": "model M2", "formula": catalogue.spec("M2").formula}
    variant = remittances.model_description("M1", "world_bank_2003")
    assert "not the catalogue's M1" in variant["label"]
    assert "(World Bank, 2003)" in variant["formula"] and "(Table 1)" not in variant["formula"]
    with pytest.raises(ParameterError, match=r"'M5' has no GDP per capita regressor"):
        remittances.model_description("M5", "world_bank_2003")


def test_declared_gdp_pc_sources_are_the_modules():
    from compendium.parameters import CHAPTERS

    assert CHAPTERS["remittances"]["gdp_pc_source"].choices == tuple(remittances.GDP_PC_SOURCES)


def test_gdp_pc_sensitivity_phrase_follows_the_fits():
    default = catalogue.fit("M1", boot_draws=200)  # slope -6.42, permutation p = 0.35
    frame = catalogue.remittance_variables()
    perfect = catalogue.fit(
        "M1", frame=frame.assign(share_estimate_printed=40 - 5 * frame["log_gdp_pc"]), boot_draws=200
    )  # p = 2 / 7!
    rising = catalogue.fit("M1", frame=frame.assign(share_estimate_printed=5 * frame["log_gdp_pc"]), boot_draws=200)
    phrase = remittances.gdp_pc_sensitivity_phrase
    assert phrase({"a": default, "b": default}) == (
        "The slope has the same sign with both, and with neither does "
        "the exact permutation test reject a zero slope at the 5% level."
    )
    assert "with one source only" in phrase({"a": default, "b": perfect})
    assert "with both the exact permutation test rejects" in phrase({"a": perfect, "b": perfect})
    assert phrase({"a": default, "b": rising}).startswith("The sign of the slope depends on the source")


def test_curve_summary_table_marks_the_mechanical_family():
    table = remittances.curve_summary_table(
        _summary([("gdp_pc", "spearman", 48, 44 / 48, 0.0), ("gdp", "ols", 48, 1.0, 14 / 48)])
    )
    assert table.index.tolist() == [
        ("GDP per capita", "Spearman's rho"),
        ("total GDP (sign fixed by construction)", "OLS slope"),
    ]
    assert table["negative"].tolist() == ["92%", "100%"] and table["p < 0.05"].tolist() == ["0%", "29%"]


# ---- the numbers the page glues ------------------------------------------------------


def test_flow_numbers_by_hand():
    numbers = remittances_numbers.flow_numbers(remittances.flows_compared())
    assert_gluable(numbers)
    # Table 3 (US$ million). BOP, no Uzbek value: above FDI in Armenia, Kyrgyzstan, Moldova and Tajikistan, above
    # ODA in Moldova only (464 > 142), below exports everywhere. Estimate: below FDI in Azerbaijan (700 < 2352) and
    # Georgia (275 < 334), below ODA in Georgia only (275 < 313), above exports in Armenia only (850 > 678).
    assert numbers == {
        "n-bop": 6,
        "bop-fdi": 4,
        "bop-oda": 1,
        "exports-above-bop": 6,
        "bop-oda-countries": "Moldova",
        "n-estimate": 7,
        "estimate-fdi": 5,
        "estimate-oda": 6,
        "exports-above-estimate": 6,
    }


def test_statement_numbers_by_hand():
    numbers = remittances_numbers.statement_numbers(remittances.statements())
    assert_gluable(numbers)
    # The Central Bank: 0.5 billion US$ in 1999, 3.5 in 2004, "7 times"; the National Bank: 1.5-2 times a year.
    assert [numbers[key] for key in ("russia-from", "russia-to", "russia-first", "russia-last", "russia-stated")] == [
        0.5,
        3.5,
        1999,
        2004,
        7.0,
    ]
    assert numbers["russia-factor"] == pytest.approx(7.0)
    assert numbers["russia-annual"] == pytest.approx(100 * (7 ** (1 / 5) - 1))
    assert [numbers[key] for key in ("kaz-annual-low", "kaz-annual-high", "kaz-years", "kaz-high")] == [
        1.5,
        2.0,
        5,
        32.0,
    ]
    assert numbers["kaz-low"] == pytest.approx(1.5 * 1.5 * 1.5 * 1.5 * 1.5)


def test_channel_numbers_by_hand():
    shares = remittances.recorded_shares()
    numbers = remittances_numbers.channel_numbers(shares, 33.3)  # at most a third recorded
    assert_gluable(numbers)
    # BOP / estimate: ARM 162/850, AZE 156/700, GEO 237/275, KGZ 100/400, MDA 464/500, TJK 146/500 (no Uzbek BOP).
    assert (numbers["recorded-min"], numbers["recorded-max"]) == (
        pytest.approx(100 * 162 / 850),
        pytest.approx(100 * 464 / 500),
    )
    assert (numbers["n-recorded"], numbers["n-below"], numbers["above-threshold"]) == (6, 4, "Georgia and Moldova")
    assert numbers["above-threshold-min"] == pytest.approx(100 * 237 / 275)
    # 3.5 billion recorded (2004) of 7-8 billion taken away
    assert (numbers["russia-recorded-low"], numbers["russia-recorded-high"]) == pytest.approx((43.75, 50.0))
    none_above = remittances_numbers.channel_numbers(shares, 95.0)
    assert (none_above["above-threshold"], none_above["n-below"]) == ("No country", 6)
    assert math.isnan(none_above["above-threshold-min"])


def test_model_numbers_by_hand():
    numbers = remittances_numbers.model_numbers(catalogue.fit("M1", boot_draws=200))
    assert_gluable(numbers)
    x, y = np.log(list(GDP_PC.values())), np.array(list(ESTIMATE_SHARE.values()))
    fit = stats.linregress(x, y)
    assert (numbers["model-label"], numbers["n"], numbers["orderings"]) == ("model M1", 7, 5040)
    assert numbers["model-formula"] == catalogue.spec("M1").formula
    assert (numbers["slope"], numbers["p-classical"], numbers["r"]) == (
        pytest.approx(fit.slope, abs=1e-8),
        pytest.approx(fit.pvalue, abs=1e-10),
        pytest.approx(fit.rvalue, abs=1e-10),
    )
    t = stats.t.ppf(0.975, 5)
    assert numbers["critical-r"] == pytest.approx(t / math.sqrt(t * t + 5))
    assert numbers["min-perm-p"] == 1 / 5040
    assert numbers["boot-low"] <= numbers["slope"] <= numbers["boot-high"]
    assert numbers["direction"].startswith("the poorer countries") and numbers["bootstrap"] == "includes zero"


def _exact_permutation_p(x, y) -> float:
    """Share of all orderings of y whose slope on x is at least as large in absolute value as the observed one."""
    xc = x - x.mean()
    observed = abs(xc @ y)
    slopes = np.abs(np.array([xc @ y[list(order)] for order in itertools.permutations(range(len(y)))]))
    return float(np.mean(slopes >= observed - 1e-9))


def test_gdp_pc_numbers_by_hand(mirror):
    hand = _world_bank_by_hand(mirror)
    by_source = remittances.fit_by_gdp_pc_source("M1", boot_draws=200)
    numbers = remittances_numbers.gdp_pc_numbers(remittances.gdp_pc_compared(), by_source, "world_bank_2003")
    assert_gluable(numbers)
    ratios = [GDP_PC[code] / hand[code] for code in GDP_PC]
    assert (numbers["gdp-pc-ratio-min"], numbers["gdp-pc-ratio-max"]) == (
        pytest.approx(min(ratios)),
        pytest.approx(max(ratios)),
    )
    shares = np.array(list(ESTIMATE_SHARE.values()))
    for key, gdp_pc in (("table1", GDP_PC), ("wb2003", hand)):
        x = np.log([gdp_pc[code] for code in ESTIMATE_SHARE])
        assert numbers[f"slope-{key}"] == pytest.approx(stats.linregress(x, shares).slope, abs=1e-8)
        assert numbers[f"p-{key}"] == pytest.approx(_exact_permutation_p(x, shares), abs=1e-9)
    assert numbers["gdp-pc-source"] == remittances.GDP_PC_SOURCES["world_bank_2003"]
    assert numbers["gdp-pc-sentence"].startswith("The slope has the same sign with both")


def test_models_numbers_by_hand():
    rows = pd.DataFrame(
        {
            "model_id": ["M1", "M2", "M5"],
            "coef": [-6.5, 2.0, 0.7],
            "p_classical": [0.36, 0.2, 0.01],
            "p_hc3": [0.3, 0.04, 0.02],
            "p_permutation": [0.35, 0.5, 0.03],
            "boot_low": [-20.0, 0.0, 0.5],
            "boot_high": [5.0, 3.0, 0.9],
        }
    )
    numbers = remittances_numbers.models_numbers(rows)
    assert_gluable(numbers)
    # M2's bootstrap interval ends at zero, so it includes it; M5's lies above zero.
    assert numbers == {"min-p": 0.01, "boot-zero": 2, "n-models": 3, "slope-M1": -6.5, "slope-M2": 2.0, "slope-M5": 0.7}


def test_leave_one_out_numbers_by_hand():
    refits = pd.DataFrame(
        {
            "country": ["Armenia", "Moldova", "Tajikistan"],
            "cooks_distance": [0.2, 0.9, 0.1],
            "coef": [-5.0, 1.5, -7.0],
            "sign_flip": [False, True, False],
            "p_classical": [0.3, 0.05, 0.049],
        }
    )
    numbers = remittances_numbers.leave_one_out_numbers(SimpleNamespace(leave_one_out=refits))
    assert_gluable(numbers)
    # p = 0.05 is not below 0.05: one refit is significant.
    assert numbers == {
        "loo-top": "Moldova",
        "loo-cook": 0.9,
        "loo-top-slope": 1.5,
        "loo-flips": 1,
        "loo-significant": 1,
        "loo-n": 3,
    }


def test_curve_numbers_by_hand():
    summary = _summary(
        [
            ("gdp_pc", "ols", 48, 1.0, 0.0),
            ("gdp_pc", "spearman", 48, 0.75, 0.0),
            ("gdp", "ols", 48, 1.0, 0.25),
            ("gdp", "spearman", 48, 1.0, 0.5),
        ]
    )
    curve = pd.DataFrame({"spec": ["other", remittances.LOG_SHARE_ON_LOG_GDP], "estimate": [9.0, -0.3]})
    rows = pd.DataFrame({"model_id": ["M4", "M5"], "coef": [1.0, 0.7]})
    numbers = remittances_numbers.curve_numbers(curve, summary, rows, "permutation")
    assert_gluable(numbers)
    # Per capita: 96 specifications, 48 + 36 negative, none significant; total GDP: 96, all negative,
    # 12 + 24 significant.
    assert [numbers[key] for key in ("curve-n", "curve-pc-n", "curve-gdp-n", "curve-gdp-negative")] == [
        192,
        96,
        96,
        1.0,
    ]
    assert (numbers["curve-pc-negative"], numbers["curve-pc-significant"]) == (pytest.approx(84 / 96), 0.0)
    assert numbers["curve-gdp-significant"] == pytest.approx(36 / 96)
    # 84 of 96 (87.5 %) is short of "nearly every" (90 %)
    assert numbers["curve-sentence"] == (
        "The sign depends on the specification; none of them reaches conventional significance."
    )
    assert numbers["curve-where-significant"].startswith("All 36 specifications with p < 0.05 use total GDP")
    assert numbers["mechanical-reason"].startswith("the outcome is remittances divided by GDP")
    assert (numbers["m5-elasticity"], numbers["curve-log-gdp-slope"], numbers["curve-method"]) == (
        0.7,
        -0.3,
        "exact permutation",
    )
    assert remittances_numbers.curve_numbers(curve, summary, rows, "classical")["curve-method"] == "classical t test"
