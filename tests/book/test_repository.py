"""Where the code lives: the repository entry of _config.yml, and what the pages say about it."""

from __future__ import annotations

import pytest

from analysis.errors import DataValidationError
from compendium import repository


def _config(tmp_path, body: str):
    config = tmp_path / "_config.yml"
    config.write_text("title: t\n" + body, encoding="utf-8")
    return config


def test_the_books_repository_is_a_placeholder_until_a_publisher_sets_it():
    repo = repository.repository()
    assert repo.url.startswith("https://") and repo.branch
    assert repo.is_placeholder == (repo.owner == repository.PLACEHOLDER_OWNER)


def test_a_real_address_is_read_and_named(tmp_path):
    config = _config(tmp_path, "repository:\n  url: https://gitlab.com/team/compendium/\n  branch: stable\n")
    repo = repository.repository(config)
    assert (repo.url, repo.branch, repo.owner, repo.is_placeholder) == (
        "https://gitlab.com/team/compendium",
        "stable",
        "team",
        False,
    )
    text = repository.where_the_code_lives(config)
    assert "<https://gitlab.com/team/compendium>" in text
    assert "git clone --branch stable https://gitlab.com/team/compendium.git" in text
    assert "placeholder" not in text


def test_the_placeholder_is_said_to_be_one(tmp_path):
    config = _config(tmp_path, "repository:\n  url: https://github.com/example/compendium\n  branch: main\n")
    assert repository.repository(config).is_placeholder
    text = repository.where_the_code_lives(config)
    assert "placeholder" in text and "repository.url" in text and "{ref}`colophon`" in text


@pytest.mark.parametrize(
    "body, field",
    [
        ("", "repository.url is None"),
        ("repository:\n  url: github.com/owner/name\n  branch: main\n", "repository.url is 'github.com/owner/name'"),
        ("repository:\n  url: https://github.com/owner\n  branch: main\n", "repository.url"),
        ("repository:\n  url: https://github.com/owner/name\n", "repository.branch is None"),
    ],
)
def test_a_missing_or_malformed_entry_is_one_clear_error(tmp_path, body, field):
    config = _config(tmp_path, body)
    with pytest.raises(DataValidationError) as error:
        repository.repository(config)
    assert str(config) in str(error.value) and field in str(error.value) and "expected" in str(error.value)
