"""Checks of Table 3 (remittances, FDI, exports and aid of the sending states): its shares of GDP,
recomputed cell by cell (:mod:`analysis.audit.table3`), and the statements the text draws from it."""

from __future__ import annotations

import numpy as np

from analysis.audit import reading_rules as rules
from analysis.audit.claim import CheckRegistry, Claim, Verdict
from analysis.audit.inputs import Inputs, as_floats
from analysis.audit.statuses import DOES_NOT_HOLD, OUTCOME_STATUS, PARTLY, REPRODUCED
from analysis.audit.table3 import (
    EXACT,
    MISSING,
    OFF,
    ROUNDING,
    TABLE3_COLUMNS,
    column_status,
    table3_cells,
    table3_hypotheses,
)
from analysis.audit.wording import country_names, range_text

CHECKS = CheckRegistry()


@CHECKS.add
def unofficial_overwhelming(claim: Claim, inputs: Inputs) -> Verdict:
    threshold = inputs.settings.overwhelming_share_pct
    t3 = inputs.table3[inputs.table3["remittances_bop_2003_musd"].notna()]
    # BOP and estimate count one country's remittances in one year: the estimate is the total, BOP its official part.
    unofficial = (
        1 - t3["remittances_bop_2003_musd"].astype(float) / t3["remittances_estimate_musd"].astype(float)
    ) * 100
    official, total_low, total_high = claim.value("official"), claim.value("total_low"), claim.value("total_high")
    russia_low, russia_high = (1 - official / total_low) * 100, (1 - official / total_high) * 100
    outcome = rules.combined_outcome(rules.HOLDS if share >= threshold else rules.FAILS for share in unofficial)
    holds = unofficial[unofficial >= threshold]
    fails = unofficial[unofficial < threshold]
    table3 = (
        f"meets it for {country_names(holds.index)} ({range_text(holds.min(), holds.max(), '.0f')}%) but not "
        f"for {country_names(fails.index)} ({range_text(fails.min(), fails.max(), '.0f')}%)"
        if not holds.empty and not fails.empty
        else f"runs from {unofficial.min():.0f}% to {unofficial.max():.0f}%"
    )
    numbers = {f"unofficial_pct_{code}": round(v, 1) for code, v in unofficial.items()} | {
        "unofficial_pct_russia_low": round(russia_low, 1),
        "unofficial_pct_russia_high": round(russia_high, 1),
        "countries_meeting": len(holds),
        "countries": len(unofficial),
    }
    return Verdict(
        OUTCOME_STATUS[outcome],
        numbers,
        f"Reading 'overwhelming' as at least {threshold:g}%, Table 3's unofficial share (1 - BOP/estimate) "
        f"{table3}. Russia's {official:g} billion US$ official (to CIS states, 2004) and {total_low:g}-"
        f"{total_high:g} billion in all (to every destination, 2006) are not one flow, so the "
        f"{russia_low:.0f}-{russia_high:.0f}% unofficial they would imply is shown, not used.",
    )


@CHECKS.add
def remittances_above_fdi_oda(claim: Claim, inputs: Inputs) -> Verdict:
    t3 = inputs.table3
    fdi, oda = t3["fdi_2003_musd"].astype(float), t3["oda_2002_musd"].astype(float)
    results = {}
    for measure, column in (("estimate", "remittances_estimate_musd"), ("BOP", "remittances_bop_2003_musd")):
        level = as_floats(t3[column])
        available = ~np.isnan(level)
        above = available & (level > fdi.to_numpy()) & (level > oda.to_numpy())
        results[measure] = (t3.index[above], int(available.sum()))
    majority = {m: len(codes) > n / 2 for m, (codes, n) in results.items()}
    status = REPRODUCED if all(majority.values()) else PARTLY if any(majority.values()) else DOES_NOT_HOLD
    (est, n_est), (bop, n_bop) = results["estimate"], results["BOP"]
    return Verdict(
        status,
        {
            "above_both_estimate": len(est),
            "countries_estimate": n_est,
            "above_both_bop": len(bop),
            "countries_bop": n_bop,
        },
        f"Estimated remittances exceed both FDI and ODA in {len(est)} of {n_est} Table 3 countries "
        f"({country_names(est)}), but the official BOP figures do so in {len(bop)} of {n_bop} "
        f"({country_names(bop)}).",
    )


@CHECKS.add
def estimates_cover_official(claim: Claim, inputs: Inputs) -> Verdict:
    t3 = inputs.table3[inputs.table3["remittances_bop_2003_musd"].notna()]
    ratio = t3["remittances_estimate_musd"].astype(float) / t3["remittances_bop_2003_musd"].astype(float)
    ok = int((ratio >= 1).sum())
    return Verdict(
        REPRODUCED if ok == len(t3) else DOES_NOT_HOLD,
        {"countries": len(t3), "estimate_ge_bop": ok, "ratio_min": ratio.min(), "ratio_max": ratio.max()},
        f"The estimate is at least the official BOP figure in {ok} of {len(t3)} countries, "
        f"{ratio.min():.2f} to {ratio.max():.2f} times it, as a total that includes the official part "
        "must be.",
    )


def _hypotheses_clause(inputs: Inputs, key: str) -> str:
    """', and of the explanations within the paper, ...' for a column with off cells, else ''."""
    frame = table3_hypotheses(inputs=inputs, external=False)
    frame = frame[frame["column"] == key]
    if frame.empty:
        return ""
    parts = [f"{row.hypothesis} fits {row.cells_explained}" for row in frame.itertuples()]
    return f"; of the explanations within the paper, {', '.join(parts)} of the {frame['off_cells'].iloc[0]} off cells"


def _share_column_check(key: str):
    """The check of one share column of Table 3, registered as ``table3_<column>_shares``."""

    def check(claim: Claim, inputs: Inputs) -> Verdict:
        cells = table3_cells(inputs=inputs)
        cells = cells[cells["column"] == key]
        counts = cells["class"].value_counts()
        worst = cells.loc[cells["difference"].abs().idxmax()]
        n = int((cells["class"] != MISSING).sum())
        exact, rounding, off = (int(counts.get(cell_class, 0)) for cell_class in (EXACT, ROUNDING, OFF))
        return Verdict(
            column_status(cells),
            {
                "cells": n,
                "exact": exact,
                "within_rounding": rounding,
                "off": off,
                "largest_gap_pp": round(float(worst["difference"]), 3),
            },
            f"Recomputing '{TABLE3_COLUMNS[key][2]}' / GDP 2003 gives {exact} exact, {rounding} within "
            f"rounding and {off} off of {n} cells; the largest gap is {worst['country']}: "
            f"{worst['recomputed_share']:.2f} recomputed against {worst['printed_share']:.1f} printed"
            + _hypotheses_clause(inputs, key)
            + ".",
        )

    check.__name__ = f"table3_{key.split('_')[0]}_shares"
    return CHECKS.add(check)


table3_bop_shares = _share_column_check("bop_2003")
table3_estimate_shares = _share_column_check("estimate")
table3_fdi_shares = _share_column_check("fdi_2003")
table3_exports_shares = _share_column_check("exports_2003")
table3_oda_shares = _share_column_check("oda_2002")
