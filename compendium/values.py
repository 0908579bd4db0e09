"""Parameter values as a reader writes them: ``-p NAME VALUE`` on the command line, and grid files.

A value is read the way papermill's ``-p`` reads it, plus YAML lists and mappings; a grid is
a YAML mapping. Both are small, so anything far larger is refused before it is parsed, and
YAML aliases are refused: a few hundred characters of nested aliases expand into millions
of items.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from analysis.errors import ParameterError

VALUE_MAX_CHARS = 2_000
GRID_MAX_CHARS = 100_000


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without aliases."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed here; write the values out", self.peek_event().start_mark
            )
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """Safe YAML without aliases; raises ``yaml.YAMLError`` as ``yaml.safe_load`` does."""
    return yaml.load(text, Loader=_NoAliasLoader)


def parse_value(text: str) -> Any:
    """A command-line value as papermill's ``-p`` reads it, plus YAML lists and mappings.

    True/False/None, ints and floats become those types; text starting with
    ``[`` or ``{`` is parsed as YAML flow (``'["ARM", "UZB"]'`` or ``[ARM, UZB]``);
    anything else stays a string.
    """
    stripped = text.strip()
    if len(stripped) > VALUE_MAX_CHARS:
        raise ParameterError(
            f"value of {len(stripped)} characters (it starts {stripped[:40]!r}); a value may have at "
            f"most {VALUE_MAX_CHARS}."
        )
    if stripped.startswith(("[", "{")):
        try:
            return load_yaml(stripped)
        except yaml.YAMLError as exc:
            raise ParameterError(
                f"value {text!r} looks like a list or mapping but is not valid YAML/JSON "
                f'({exc.problem}); write it like \'["ARM", "UZB"]\'.'
            ) from exc
    if text in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[text]
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def format_value(value: Any) -> str:
    """The command-line text that ``parse_value`` reads back as ``value``."""
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)  # True/False/None, numbers and strings read back as themselves
