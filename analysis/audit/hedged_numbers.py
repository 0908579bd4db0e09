"""The paper's hedged numbers ("5 to 15 million", "up to 1 million", "about 0.2 million",
"over 300,000") as intervals; :func:`analysis.figures.audit_plots.plot_hedged_ranges` draws them
without hiding the hedge.

Each qualifier keeps its own meaning:

- ``range``: the printed bounds a-b, closed.
- ``exact``: one printed value, a point.
- ``about``: the printed value plus or minus half a unit of its last non-zero digit
  (the rounding the printed figure allows), times a reader's multiple.
- ``up to``: from zero (a count cannot be negative) to the printed ceiling.
- ``over``: from the printed floor to no stated end; drawn up to a reader's multiple of
  the floor and marked as open.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pandas as pd

from analysis.errors import DataValidationError, ParameterError

QUALIFIERS = ("range", "exact", "about", "up to", "over")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def rounding_halfwidth(printed: str) -> float:
    """Half a unit of the last non-zero digit of a number as printed.

    ``"0.2"`` -> 0.05, ``"4,000"`` -> 500, ``"300,000"`` -> 50,000, ``"111"`` -> 0.5.
    Commas are thousands separators. Digits after a decimal point count even when zero
    (``"1.50"`` -> 0.005), because a writer who prints them claims that precision.
    """
    text = str(printed).strip()
    if not _NUMBER.fullmatch(text):
        raise DataValidationError(
            f"printed number {printed!r} is not a plain number such as '0.2', '4,000' or '300,000'. "
            "Store the figure as the paper prints it, with ',' for thousands and '.' for decimals."
        )
    digits = text.replace(",", "")
    if "." in digits:
        exponent = Decimal(digits).as_tuple().exponent
    else:
        exponent = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    return float(Decimal(5) * Decimal(10) ** (exponent - 1))


def printed_number(printed_text: str, value: float) -> str:
    """The number in a printed phrase that equals ``value`` ("about 0.2 mln." and 0.2 -> "0.2")."""
    for token in _NUMBER.findall(str(printed_text)):
        if math.isclose(float(token.replace(",", "")), float(value)):
            return token
    raise DataValidationError(
        f"printed text {printed_text!r} contains no number equal to the stored value {value!r}. "
        "The stored value must be the number the paper prints, in the unit of the column; fix the row."
    )


def _check_parameters(open_cap: float, about_multiple: float) -> None:
    if not (isinstance(open_cap, (int, float)) and math.isfinite(open_cap) and open_cap > 1):
        raise ParameterError(
            f"open_cap={open_cap!r}: an open-ended 'over X' interval is drawn from X to open_cap * X, "
            "so open_cap must be a finite number greater than 1 (e.g. 2)."
        )
    if not (isinstance(about_multiple, (int, float)) and math.isfinite(about_multiple) and about_multiple >= 0):
        raise ParameterError(
            f"about_multiple={about_multiple!r}: it scales the rounding band of 'about X' figures and must be "
            ">= 0 (0 draws a point, 1 the band that the printed digits allow)."
        )


def _is_set(value) -> bool:
    return value is not None and not pd.isna(value)


def bounds(
    qualifier, low, high, printed_text: str, *, open_cap: float = 2.0, about_multiple: float = 1.0
) -> tuple[float, float, bool]:
    """(low, high, open_high) of one hedged figure; see the module docstring for each qualifier.

    ``low``/``high`` are the stored values: both for ``range``; ``low`` for ``over``; ``high``
    for ``up to``; the one printed value (in ``low``, ``high`` or both) for ``about`` and for
    a missing qualifier, which means the figure is printed without a hedge (``exact``).
    """
    _check_parameters(open_cap, about_multiple)
    qualifier = "exact" if not _is_set(qualifier) or qualifier == "" else str(qualifier)
    where = f"{qualifier!r} figure {printed_text!r}"
    if qualifier not in QUALIFIERS:
        raise DataValidationError(f"{where}: qualifier is unknown; expected one of {', '.join(QUALIFIERS)}.")
    values = [float(v) for v in (low, high) if _is_set(v)]
    if any(v < 0 for v in values):
        raise DataValidationError(f"{where}: negative value in low={low!r}, high={high!r}; counts are >= 0.")
    if qualifier == "range":
        if len(values) != 2 or values[0] > values[1]:
            raise DataValidationError(f"{where}: a range needs low <= high, both set; got low={low!r}, high={high!r}.")
        return values[0], values[1], False
    if qualifier == "up to":
        if not _is_set(high) or (_is_set(low) and float(low) != 0):
            raise DataValidationError(
                f"{where}: 'up to' needs the ceiling in high and low empty; got {low!r}, {high!r}."
            )
        return 0.0, float(high), False
    if qualifier == "over":
        if not _is_set(low) or _is_set(high):
            raise DataValidationError(f"{where}: 'over' needs the floor in low and high empty; got {low!r}, {high!r}.")
        return float(low), float(low) * open_cap, True
    if not values or len(set(values)) != 1:
        raise DataValidationError(
            f"{where}: one number was printed, so low and high must hold that number (or one be empty); "
            f"got low={low!r}, high={high!r}."
        )
    value = values[0]
    if qualifier == "exact":
        return value, value, False
    band = about_multiple * rounding_halfwidth(printed_number(printed_text, value))
    return max(value - band, 0.0), value + band, False


def as_intervals(
    frame: pd.DataFrame, low: str, high: str, *, open_cap: float = 2.0, about_multiple: float = 1.0, scale: float = 1.0
) -> pd.DataFrame:
    """Add ``kind``, ``point``, ``draw_low``, ``draw_high`` and ``open_high`` to a frame of hedged figures.

    ``frame`` needs ``qualifier`` and ``printed_text`` columns and the value columns ``low``/``high``,
    in the unit the paper prints (so that an "about" figure's rounding can be read off the text).
    ``scale`` then converts the added values (e.g. 1e6 from millions to persons). ``kind`` is the
    qualifier, with a missing one spelled ``exact``; ``point`` is the printed number.
    """
    missing = {"qualifier", "printed_text", low, high} - set(frame.columns)
    if missing:
        raise DataValidationError(f"estimates frame lacks column(s) {sorted(missing)}; it has {list(frame.columns)}.")
    rows = [
        bounds(q, lo, hi, text, open_cap=open_cap, about_multiple=about_multiple)
        for q, lo, hi, text in zip(frame["qualifier"], frame[low], frame[high], frame["printed_text"])
    ]
    out = frame.copy()
    out["kind"] = pd.array([q if _is_set(q) and q != "" else "exact" for q in frame["qualifier"]], dtype="string")
    out["point"] = pd.array(
        [float(lo if _is_set(lo) else hi) * scale for lo, hi in zip(frame[low], frame[high])], dtype="Float64"
    )
    out["draw_low"] = pd.array([r[0] * scale for r in rows], dtype="Float64")
    out["draw_high"] = pd.array([r[1] * scale for r in rows], dtype="Float64")
    out["open_high"] = pd.array([r[2] for r in rows], dtype="boolean")
    return out
