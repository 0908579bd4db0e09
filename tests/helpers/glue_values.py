"""What a chapter's ``*_numbers`` dict must hold for ``compendium.page.glue_numbers``.

``{glue:text}`` reads a glued value back from its plain-text form, so a numpy scalar (printed
``np.float64(0.5)``) would fail the book build; and ``:`` in a key would be read as the start
of a format spec.
"""

from __future__ import annotations

import re

GLUE_KEY = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")


def assert_gluable(numbers: dict) -> None:
    for key, value in numbers.items():
        assert GLUE_KEY.match(key), f"glue key {key!r}: use letters, digits and single hyphens"
        assert type(value) in (int, float, str), f"{key}: {type(value).__name__} is not a plain int, float or str"
