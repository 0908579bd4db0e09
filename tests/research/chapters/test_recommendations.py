"""Chapter 8: recommendations linked to chapters, and the numbers behind each sphere."""

from __future__ import annotations

import json
import re

import pytest

from analysis import paths
from analysis.chapters import recommendations as rec
from analysis.errors import DataValidationError, ParameterError
from compendium import parameters


def test_chapter_labels():
    assert rec.chapter_label("07-common-labour-market") == "ch-common-labour-market"
    assert rec.chapter_label("brain-drain") == "ch-brain-drain"
    with pytest.raises(DataValidationError, match="06-survival-to-development"):
        rec.chapter_label("06-survival-to-development")
    assert rec.label_chapter("fig-survival-development-jobs") == "ch-survival-development"
    assert rec.label_chapter("tbl-trafficking-measures") == "ch-trafficking"


def test_links_per_sphere():
    links = rec.links().set_index("sphere")
    assert list(links.index) == list(rec.SPHERES)
    assert links.loc["transit migration", "chapters"] == ["ch-transit"]
    assert links.loc["migrant remittances", "chapters"] == ["ch-remittances", "ch-survival-development"]
    assert links.loc["brain drain", "recommendations"].count("(") == 3  # three 'to ...' clauses
    assert links.loc["labor migration management", "paper_lines"] == "538\u2013541"


def test_links_table_uses_roles():
    table = rec.links_markdown(["brain drain"])
    assert "{ref}`ch-brain-drain`" in table and "{numref}`fig-brain-drain-it-growth`" in table
    assert "transit" not in table
    with pytest.raises(ParameterError, match="culture"):
        rec.links_markdown(["culture"])


def test_numbers_by_hand():
    numbers = rec.numbers()
    counts = numbers.groupby("sphere").size().to_dict()
    # labour: 5-15 million, up to 1 million, Table 2; transit: about 0.2 million, over 300,000;
    # brain drain: 25 billion, 15 %; remittances: 70 %, 111, about 4,000, six text statements, Table 3
    assert counts == {
        "labor migration management": 3,
        "transit migration": 2,
        "brain drain": 2,
        "migrant remittances": 10,
    }
    table2 = numbers[numbers["statement"].str.startswith("Table 2")]["statement"].iloc[0]
    assert "17 printed cells, 13 of them ranges" in table2
    assert "41 printed levels" in numbers[numbers["statement"].str.startswith("Table 3")]["statement"].iloc[0]


def test_declared_spheres_match_the_module():
    assert parameters.CHAPTERS["conclusions"]["spheres"].item_choices == rec.SPHERES


def _labels_defined_in_chapters() -> set[str]:
    labels = set()
    for notebook in paths.CHAPTERS_DIR.glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                labels |= set(re.findall(r"^\(([\w-]+)\)=", text, re.MULTILINE))
                labels |= set(re.findall(r"^:name: ([\w-]+)", text, re.MULTILINE))
    return labels


def test_every_linked_figure_and_table_exists_in_a_chapter():
    defined = _labels_defined_in_chapters()
    linked = {label for labels in rec.EVIDENCE.values() for label in labels}
    assert linked - defined == set()


def test_numbers_summary_by_hand():
    summary = rec.numbers_summary(rec.numbers())
    # hedged: 5-15 (range), up to 1, about 0.2, over 300,000, about 4,000, 1.5-2 times, exceeded 1 billion, 7-8 billion
    assert summary["text"] == 15 and summary["hedged"] == 8 and summary["single"] == 7 and summary["tables"] == 2
    assert summary["brain drain"] == 2 and summary["migrant remittances"] == 9
    assert summary["unsourced"] == 0
    # labour: 5-15 million, up to 1 million; transit: about 0.2 million, over 300,000 (Table 2 and 3 rows are not text)
    assert rec.summary_numbers(summary) == {
        "n-text": 15,
        "n-hedged": 8,
        "n-single": 7,
        "n-labour": 2,
        "n-transit": 2,
        "n-brain": 2,
        "n-remittances": 9,
    }


def test_attribution_in_words():
    assert rec.summary_words({"unsourced": 0})["attribution"].startswith("every one")
    assert rec.summary_words({"unsourced": 2}) == {
        "attribution": "2 of them are attributed to no cited work or named institution"
    }
