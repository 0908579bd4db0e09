"""Where the code lives: the repository address that _config.yml holds, the one place a publisher sets it.

Jupyter Book makes the repository, source and edit links and the launch buttons
from ``repository:`` in _config.yml; the "Re-run it yourself" page and the
citation read the same entry here, so the book names one address everywhere.
Until a publisher sets the real address, the configuration holds a placeholder
whose owner is ``example``; the pages say so rather than pass it off as real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import paths
from analysis.errors import DataValidationError
from analysis.files import record_read

CONFIG = paths.ROOT / "_config.yml"
PLACEHOLDER_OWNER = "example"
_URL = re.compile(r"^https://[^/\s]+/(?P<owner>[^/\s]+)/(?P<name>[^/\s]+?)/?$")


@dataclass(frozen=True)
class Repository:
    url: str
    branch: str

    @property
    def owner(self) -> str:
        return _URL.match(self.url)["owner"]

    def file_url(self, path: str) -> str:
        """The address of one file of the repository, on the book's branch."""
        return f"{self.url}/blob/{self.branch}/{path}"

    @property
    def is_placeholder(self) -> bool:
        """True while the address is the configuration's placeholder, not a real repository."""
        return self.owner == PLACEHOLDER_OWNER


def repository(config: Path = CONFIG) -> Repository:
    """The repository of _config.yml: its URL (https://host/owner/name) and branch."""
    record_read(config)  # a page that names the repository runs again when the address changes
    entry = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("repository") or {}
    url, branch = entry.get("url"), entry.get("branch")
    if not isinstance(url, str) or not _URL.match(url):
        raise DataValidationError(
            f"{config}: repository.url is {url!r}; expected the repository's address, "
            "https://<host>/<owner>/<name>, e.g. https://github.com/owner/cis-migration-compendium."
        )
    if not isinstance(branch, str) or not branch:
        raise DataValidationError(
            f"{config}: repository.branch is {branch!r}; expected the branch the book is built from, e.g. main."
        )
    return Repository(url=url.rstrip("/"), branch=branch)


def where_the_code_lives(config: Path = CONFIG) -> str:
    """A paragraph of MyST: the repository's address, how to get the code, and whether the address is real yet."""
    repo = repository(config)
    text = (
        f"The code, the data package and this book's sources live in the git repository "
        f"<{repo.url}> (branch `{repo.branch}`). Get them with:\n\n"
        f"```bash\ngit clone --branch {repo.branch} {repo.url}.git\n```\n"
    )
    if repo.is_placeholder:
        text += (
            f"\n**The address above is a placeholder** (its owner is `{PLACEHOLDER_OWNER}`): this copy of the "
            "book was built before its publisher set the repository's real address, as `repository.url` in "
            "`_config.yml`. The commit it was built from is in the {ref}`colophon`.\n"
        )
    return text
