"""A hand-made frame of the paper's four kinds of hedged number, shared by the reading and the figure tests."""

from __future__ import annotations

import pandas as pd


def hedged_frame() -> pd.DataFrame:
    """One number per qualifier: a range, an 'up to', an 'about' and an 'over', as the paper prints them."""
    return pd.DataFrame(
        {
            "label": ["total", "Kazakhstan", "Ukraine", "transit"],
            "qualifier": pd.array(["range", "up to", "about", "over"], dtype="string"),
            "low": pd.array([5.0, None, 0.2, 0.3], dtype="Float64"),
            "high": pd.array([15.0, 1.0, 0.2, None], dtype="Float64"),
            "printed_text": ["5 to 15 million", "up to 1 mln.", "about 0.2 mln.", "over 0.3"],
        }
    )
