"""The build's record of each notebook: the fingerprint of its inputs, what it read and what it wrote.

``compendium.build`` writes it after executing a notebook; ``compendium.results_index`` reads
it to list the data files behind each figure and table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from analysis.files import write_atomically


@dataclass
class Record:
    fingerprint: str
    data_inputs: list[str]
    outputs: list[str] = field(default_factory=list)  # result files it wrote; if one is gone, run again


def load_state(state_file: Path) -> dict[str, Record]:
    """The records by notebook path; empty when there are none or they cannot be read."""
    if not state_file.is_file():
        return {}
    try:
        raw = json.loads(state_file.read_text(encoding="utf-8"))
        return {key: Record(**value) for key, value in raw.items()}
    except (json.JSONDecodeError, TypeError, AttributeError):
        # An unreadable state only costs a re-execution of everything; it is never trusted.
        return {}


def save_state(state_file: Path, state: dict[str, Record]) -> None:
    text = json.dumps({key: vars(value) for key, value in sorted(state.items())}, indent=1)
    write_atomically({state_file: text}, result=False)
