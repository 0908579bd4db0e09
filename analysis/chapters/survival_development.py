"""Chapter 6, from survival to development: the survey figures the paper quotes, set against
the uses of remittances it describes.

The paper places the survey of 111 firms "in Uzbekistan" but says the firms employ "other
Kyrgyz people". The transcription keeps both and flags the row; this module never picks one.
``jobs_per_thousand_migrants`` shows how much the reading matters by scaling the jobs to each
candidate country's migrant workers abroad (Table 2).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis import figures
from analysis.audit import hedged_numbers
from analysis.chapters import markup
from analysis.data import paper, statements
from analysis.errors import DataValidationError, ParameterError

FIRMS, JOBS = 3, 4  # ordinals of the finding rows: 111 companies, about 4,000 workplaces
# The use of remittances each quoted figure is offered as evidence for, by the sentence that quotes it:
# the 70 % (finding 1) stands in the sentence on health and education, the firms and jobs in the
# sentence on the 'investment segment'.
EVIDENCE_FOR = {1: "human capital", FIRMS: "business", JOBS: "business"}


def findings() -> pd.DataFrame:
    frame = statements.survey_findings()
    return frame[frame["kind"] == "finding"].sort_values("ordinal").reset_index(drop=True)


def spending() -> pd.DataFrame:
    frame = statements.survey_findings()
    return frame[frame["kind"] == "spending"].sort_values("ordinal").reset_index(drop=True)


def _finding(ordinal: int) -> pd.Series:
    rows = findings()
    rows = rows[rows["ordinal"] == ordinal]
    if len(rows) != 1 or pd.isna(rows["value"].iloc[0]):
        raise DataValidationError(
            f"{statements.SURVEY}: expected one finding with ordinal {ordinal} and a value; found {len(rows)} row(s)."
        )
    return rows.iloc[0]


def findings_markdown() -> str:
    """MyST table of the quoted survey figures, with year, source, line and the transcription's flag."""
    frame = findings()
    return markup.pipe_table(
        pd.DataFrame(
            {
                "Finding": frame["item"],
                "Country as placed": frame["country_as_printed"],
                "Survey year": frame["survey_year"].map(lambda v: "not given" if pd.isna(v) else str(v)),
                "As printed": [f"\u201c{text}\u201d" for text in frame["printed_text"]],
                "Source cited": [markup.cite(keys) for keys in frame["source_keys"]],
                "Paper line": frame["paper_line"].astype(str),
                "Flag": frame["flag"].map(lambda v: "" if pd.isna(v) else "location inconsistent"),
            }
        )
    )


def spending_markdown() -> str:
    """MyST table: each use of remittances the paper names, by category, with the figures quoted for it."""
    uses = spending()
    quoted = findings()
    rows = []
    for category, group in uses.groupby("category", sort=False):
        evidence = quoted[quoted["ordinal"].map(EVIDENCE_FOR) == category]
        numbers = "; ".join(f"\u201c{text}\u201d" for text in evidence["printed_text"]) or "none"
        places = sorted(set(group["country_as_printed"].dropna()))
        rows.append(
            {
                "Use of remittances": category,
                "What the paper names": "; ".join(dict.fromkeys(group["item"])),
                "Where": ", ".join(places) if places else "Central Asia (no country named)",
                "Figures quoted for it": numbers,
                "Sources cited": " ".join(dict.fromkeys(markup.cite(keys) for keys in group["source_keys"])),
            }
        )
    return markup.pipe_table(pd.DataFrame(rows))


def jobs_interval(*, about_multiple: float = 1.0) -> tuple[float, float, float]:
    """(low, printed, high) workplaces: "about 4,000" as the rounding band times ``about_multiple``."""
    row = _finding(JOBS)
    low, high, _ = hedged_numbers.bounds(
        row["qualifier"], row["value"], row["value"], row["printed_text"], about_multiple=about_multiple
    )
    return low, float(row["value"]), high


def jobs_per_firm(*, about_multiple: float = 1.0) -> tuple[float, float, float]:
    """(low, point, high) workplaces per firm: the jobs interval divided by the 111 firms."""
    firms = float(_finding(FIRMS)["value"])
    return tuple(value / firms for value in jobs_interval(about_multiple=about_multiple))


def jobs_per_thousand_migrants(countries: list[str], *, about_multiple: float = 1.0) -> pd.DataFrame:
    """Workplaces per 1,000 of each country's migrant workers abroad (Table 2, thousands), as a range.

    The widest range the two uncertain numbers allow: fewest jobs over most migrants, up to
    most jobs over fewest migrants.
    """
    if not countries:
        raise ParameterError("countries is empty: give at least one ISO3 code of a Table 2 origin country.")
    workers = paper.table2().set_index("iso3")
    unknown = [
        code for code in countries if code not in workers.index or pd.isna(workers.at[code, "abroad_low_thousands"])
    ]
    if unknown:
        known = ", ".join(workers.index[workers["abroad_low_thousands"].notna()])
        raise ParameterError(
            f"countries {unknown} have no estimate of migrant workers abroad in Table 2; choose from {known}."
        )
    jobs_low, _, jobs_high = jobs_interval(about_multiple=about_multiple)
    rows = []
    for code in countries:
        abroad_low = float(workers.at[code, "abroad_low_thousands"]) * 1_000
        abroad_high = float(workers.at[code, "abroad_high_thousands"]) * 1_000
        rows.append(
            {
                "iso3": code,
                "country": workers.at[code, "country"],
                "abroad_low": abroad_low,
                "abroad_high": abroad_high,
                "low": 1_000 * jobs_low / abroad_high,
                "high": 1_000 * jobs_high / abroad_low,
            }
        )
    return pd.DataFrame(rows)


def plot_jobs_per_thousand(scaled: pd.DataFrame) -> plt.Figure:
    """The ranges of ``jobs_per_thousand_migrants``, one per candidate country."""
    figure = figures.plot_intervals(
        scaled, "low", "high", "country", xlabel="workplaces in former migrants' firms per 1,000 migrant workers abroad"
    )
    figure.axes[0].set_xlim(left=0)  # a ratio is read against zero
    return figure


def jobs_words(scaled: pd.DataFrame) -> dict[str, str]:
    """ "Uzbekistan 5.0–7.5, Kyrgyzstan 7.8–11.2": the ranges of ``jobs_per_thousand_migrants`` in words."""
    ranges = (f"{row.country} {row.low:.1f}\u2013{row.high:.1f}" for row in scaled.itertuples())
    return {"per-thousand": ", ".join(ranges)}


def headline_numbers(*, about_multiple: float = 1.0) -> dict[str, float]:
    """The chapter's numbers: the Tajik share, firms, workplaces and workplaces per firm (with bands)."""
    jobs_low, jobs, jobs_high = jobs_interval(about_multiple=about_multiple)
    per_firm_low, per_firm, per_firm_high = jobs_per_firm(about_multiple=about_multiple)
    return {
        "tajik-pct": float(_finding(1)["value"]),
        "firms": int(_finding(FIRMS)["value"]),
        "jobs": jobs,
        "jobs-low": jobs_low,
        "jobs-high": jobs_high,
        "per-firm": per_firm,
        "per-firm-low": per_firm_low,
        "per-firm-high": per_firm_high,
    }
