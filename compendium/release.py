"""A citable release: one reproducible archive per version, its deposit metadata, and a verifier.

``compendium release`` (``make release``) refuses a dirty worktree, builds the
book and the PDF from scratch at the current commit, and writes to ``dist/``:

- ``cis-migration-compendium-<version>.tar.gz``, one folder holding the HTML
  book, the PDF, ``results/``, the tracked ``data/`` (with ``datapackage.json``),
  ``CITATION.cff`` with the release date, ``constraints.txt``, the README, the
  licence, the changelog, the deposit metadata and ``MANIFEST.sha256``: the
  sha256 of every other file, in the format of ``sha256sum -c``;
- ``<archive>.sha256``: the archive's own hash, which the archive cannot hold;
- ``.zenodo.json`` and ``codemeta.json``, generated from ``CITATION.cff``.

Two releases of the same commit are byte-identical: the members are sorted,
dated at the commit time, owned by 0:0 without names, with modes 644 and 755;
gzip writes no file name and no time; the PDF's dates are set to the commit
time; and a release build leaves the notebooks' execution times out of the
colophon, the only part of the HTML that changes from one build of a commit to
the next (``setup`` below). The release date is the commit's date, in UTC.

While it builds, the release writes ``_build/release.json``. The colophon and
the how-to-cite page read it through ``read_stamp``, which records the read, so
that the data-aware build re-executes them when it appears and again when it is
gone: a release build names the release, the next ``make book`` says
"development build".

cffconvert, the reference converter from CFF, requires jsonschema<4, which the
book's pinned stack cannot install, so both mappings from CFF are written here.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analysis import __version__, paths
from analysis.errors import CompendiumError, DataUnavailableError, DataValidationError
from analysis.files import file_sha256, record_read, write_atomically
from analysis.results import UNKNOWN, commit_time, dirty_files, git_state, tracked_files
from compendium.build import build_book
from compendium.chromium import find_chromium
from compendium.citation import load_cff, paper_reference
from compendium.colophon import git_files
from compendium.pdf import build_pdf
from compendium.repository import repository

ARCHIVE_STEM = "cis-migration-compendium"
MANIFEST = "MANIFEST.sha256"
ZENODO_FILE = ".zenodo.json"
CODEMETA_FILE = "codemeta.json"
CODEMETA_CONTEXT = "https://w3id.org/codemeta/3.0"
HTML_FOLDER = "html"
RESULTS_FOLDER = "results"
CITATION_NAME = "CITATION.cff"
# Copied into the archive as git tracks them, so that a stray untracked file never ships.
TRACKED = ("README.md", "LICENSE", "CHANGELOG.md", "constraints.txt", "data")
REQUIRED_TRACKED = ("README.md", "LICENSE", "CHANGELOG.md", "constraints.txt", "data/datapackage.json")
# Sphinx's record for incremental builds: not part of the book, and it would only confuse a reader.
SPHINX_BOOKKEEPING = (".buildinfo",)
FILE_MODE, FOLDER_MODE = 0o644, 0o755
GZIP_LEVEL = 9
PDF_DATE_FORMAT = "D:%Y%m%d%H%M%S+00'00'"  # as Chromium's Skia writes it, in UTC
ZENODO_RELATION = "isSupplementTo"  # the deposit supplements the paper, and snapshots the repository
UPLOAD_TYPES = {"software": "software", "dataset": "dataset"}  # the two CFF types
CODEMETA_WORK_TYPES = {"article": "ScholarlyArticle", "book": "Book", "report": "Report", "thesis": "Thesis"}
_MANIFEST_LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\((D:[^)]*)\)")


class ReleaseError(CompendiumError, RuntimeError):
    """The worktree, the metadata or the built files are not fit for a release."""


@dataclass(frozen=True)
class ReleaseStamp:
    """What identifies a release: its version and the commit it archives."""

    version: str
    commit: str
    timestamp: int  # the commit's time, seconds since the epoch

    @property
    def date(self) -> str:
        """The release date: the commit's date in UTC, so that a second release of the commit agrees."""
        return time.strftime("%Y-%m-%d", time.gmtime(self.timestamp))

    @property
    def name(self) -> str:
        return f"{ARCHIVE_STEM}-{self.version}"

    @property
    def archive_name(self) -> str:
        return f"{self.name}.tar.gz"


# ---- what the pages show -----------------------------------------------------------


def read_stamp(path: Path | None = None) -> ReleaseStamp | None:
    """The release being built, or None in a development build; the read is recorded either way."""
    path = paths.RELEASE_STAMP if path is None else Path(path)
    record_read(path)  # its appearance and its removal must both re-execute the pages that show it
    if not path.is_file():
        return None
    return ReleaseStamp(**json.loads(path.read_text(encoding="utf-8")))


def build_statement(stamp: ReleaseStamp | None) -> str:
    """One paragraph of MyST: which release this book belongs to, or that it is a development build."""
    if stamp is None:
        return (
            "**Development build.** This book was built by `make book`, not by `compendium release`, so it "
            "belongs to no release archive. Cite it by its git commit, listed in the {ref}`colophon`."
        )
    return (
        f"**Release {stamp.version}**, built by `compendium release` from git commit `{stamp.commit}` and "
        f"dated {stamp.date}, the commit's date. This book is part of the archive `{stamp.archive_name}`. "
        f"An archive cannot hold its own checksum, so its sha256 is published beside it, in "
        f"`{stamp.archive_name}.sha256`, and in the record of its deposit; "
        f"`compendium verify {stamp.archive_name}` checks every file inside it against the "
        f"`{MANIFEST}` it carries."
    )


@dataclass(frozen=True)
class CitedBuild:
    """What a citation of this build names: CITATION.cff with the build's date and address, and its commit."""

    metadata: dict
    commit: str | None  # None outside a git repository


def cited_build(stamp: ReleaseStamp | None, root: Path = paths.ROOT) -> CitedBuild:
    """CITATION.cff as this build cites it: dated by its commit, at the repository's address of _config.yml.

    A release names its stamp's commit and date. Any other build names the checked-out commit, dated by
    that commit (UTC), and records git's files as read, so that the page citing it runs again after a new
    commit. The repository's address comes from _config.yml, where the book's links come from; a
    ``repository-code`` in CITATION.cff must agree with it.
    """
    metadata = dict(load_cff(root / CITATION_NAME))
    address = repository(root / "_config.yml")
    stated = metadata.get("repository-code")
    if stated and stated.rstrip("/") != address.url:
        raise ReleaseError(
            f"{root / CITATION_NAME}: repository-code is {stated!r} but _config.yml's repository.url is "
            f"{address.url!r}; give both the same address (the book's links come from _config.yml)."
        )
    metadata["repository-code"] = address.url
    if stamp is not None:
        return CitedBuild(dict(metadata, **{"date-released": stamp.date}), stamp.commit)
    for file in git_files(root):
        record_read(file)
    commit, _ = git_state(root)
    if commit == UNKNOWN:
        return CitedBuild(metadata, None)
    date = time.strftime("%Y-%m-%d", time.gmtime(commit_time(root)))
    return CitedBuild(dict(metadata, **{"date-released": date}), commit)


# ---- is this commit fit for a release? -----------------------------------------------


def release_candidate(root: Path = paths.ROOT) -> ReleaseStamp:
    """The release the checked-out commit makes; refuses a dirty tree and disagreeing metadata."""
    commit, state = git_state(root)
    if commit == UNKNOWN:
        raise ReleaseError(f"{root} is not a git repository (or git is not installed); a release archives a commit.")
    if state == UNKNOWN:
        raise ReleaseError(
            f"git could not tell whether the worktree at {root} is clean (`git status` failed); "
            "fix the repository, then release again."
        )
    if state != "clean":
        dirty = dirty_files(root) or []
        raise ReleaseError(
            f"the worktree at {root} is {state}: {len(dirty)} tracked file(s) differ from commit {commit[:12]}: "
            f"{', '.join(dirty)}. Commit or stash them, then release again; a release archives a commit."
        )
    citation_file = root / CITATION_NAME
    version = load_cff(citation_file).get("version")
    if version is None:
        raise ReleaseError(f"{citation_file} has no version; add `version: {__version__}` (the package's version).")
    if str(version) != __version__:
        raise ReleaseError(
            f"{citation_file} says version {version} but the package is {__version__} (analysis/__init__.py); "
            "bump the version in CITATION.cff, pyproject.toml and analysis/__init__.py together."
        )
    changelog = root / paths.CHANGELOG.name
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    if not re.search(rf"^## \[{re.escape(str(version))}\]", text, flags=re.MULTILINE):  # Keep a Changelog
        raise ReleaseError(
            f"{changelog} has no section for version {version}; add one headed `## [{version}]` "
            "that says what changed, commit it, then release again."
        )
    return ReleaseStamp(version=str(version), commit=commit, timestamp=commit_time(root))


# ---- the release --------------------------------------------------------------------


def release(root: Path = paths.ROOT, dist: Path = paths.DIST_DIR) -> Path:
    """Build the book and the PDF from scratch at the current commit and archive them; returns the archive."""
    stamp = release_candidate(root)
    if paths.RESULTS_DIR != paths.BOOK_RESULTS_DIR:  # the release empties it: never a run's folder
        raise ReleaseError(
            f"{paths.RESULTS_ENV} points the results at {paths.RESULTS_DIR}; a release builds the "
            f"book's own {paths.BOOK_RESULTS_DIR}. Unset {paths.RESULTS_ENV} and release again."
        )
    find_chromium()  # before the build: without Chromium there is no PDF, and the build would be wasted
    # From scratch: nothing an earlier build or run left in _build/ or results/ may reach the archive.
    for folder in (paths.BUILD_DIR, paths.RESULTS_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        write_atomically({paths.RELEASE_STAMP: json.dumps(asdict(stamp), indent=1) + "\n"})
        build_book(root)
        pdf = build_pdf(root)
    finally:
        paths.RELEASE_STAMP.unlink(missing_ok=True)
    return write_archive(
        stamp, html_dir=paths.HTML_DIR, pdf=pdf, results_dir=paths.RESULTS_DIR, root=root, dist=Path(dist)
    )


def write_archive(
    stamp: ReleaseStamp,
    *,
    html_dir: Path,
    pdf: Path,
    results_dir: Path,
    root: Path = paths.ROOT,
    dist: Path = paths.DIST_DIR,
) -> Path:
    """Write the archive, its .sha256 and the deposit metadata to ``dist``, from books already built."""
    for needed, hint in (
        (Path(html_dir) / "index.html", "build the book (make book)"),
        (Path(pdf), "build the PDF (make pdf)"),
        (Path(results_dir) / "index.json", "build the book (make book), which writes the results"),
    ):
        if not needed.is_file():
            raise ReleaseError(f"{needed} is missing; {hint} before writing the archive.")
    dist = Path(dist)
    target = dist / stamp.archive_name
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / stamp.name
        metadata = _stage(stamp, folder, Path(html_dir), Path(pdf), Path(results_dir), root)
        packed = Path(scratch) / stamp.archive_name
        _write_tar_gz(folder, packed, stamp.timestamp)
        digest = file_sha256(packed)
        if target.is_file() and file_sha256(target) != digest:
            raise ReleaseError(
                f"{target} already holds a different archive of version {stamp.version}; a released version "
                "never changes. Bump the version for a new release, or delete that file if it was never deposited."
            )
        write_atomically(
            {
                target: packed.read_bytes(),
                target.with_name(target.name + ".sha256"): f"{digest}  {target.name}\n",
                dist / ZENODO_FILE: _json_text(zenodo_metadata(metadata)),
                dist / CODEMETA_FILE: _json_text(codemeta(metadata)),
            }
        )
    return target


def _stage(stamp: ReleaseStamp, folder: Path, html_dir: Path, pdf: Path, results_dir: Path, root: Path) -> dict:
    """Lay out the archive's folder; returns the released citation metadata."""
    shutil.copytree(html_dir, folder / HTML_FOLDER, ignore=shutil.ignore_patterns(*SPHINX_BOOKKEEPING))
    (folder / f"{stamp.name}.pdf").write_bytes(pin_pdf_dates(pdf.read_bytes(), stamp.timestamp))
    shutil.copytree(results_dir, folder / RESULTS_FOLDER)
    tracked = tracked_files(root, *TRACKED)
    untracked = [name for name in REQUIRED_TRACKED if name not in tracked]
    if untracked:
        raise ReleaseError(
            f"{', '.join(untracked)} in {root} not tracked by git; commit them: the archive "
            "holds these files as the commit holds them."
        )
    for name in tracked:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, folder / name)
    citation_file = folder / CITATION_NAME
    citation_file.write_text(
        stamped_citation((root / CITATION_NAME).read_text(encoding="utf-8"), stamp), encoding="utf-8"
    )
    metadata = load_cff(citation_file)  # the stamped file must still pass the CFF schema
    (folder / ZENODO_FILE).write_text(_json_text(zenodo_metadata(metadata)), encoding="utf-8")
    (folder / CODEMETA_FILE).write_text(_json_text(codemeta(metadata)), encoding="utf-8")
    (folder / MANIFEST).write_text(manifest(folder), encoding="utf-8")
    return metadata


def stamped_citation(text: str, stamp: ReleaseStamp) -> str:
    """CITATION.cff's text with ``date-released`` set to the release date, right after ``version`` (comments kept)."""
    text = re.sub(r"^date-released:.*\n", "", text, flags=re.MULTILINE)
    stamped, found = re.subn(
        r"^(version:.*\n)", rf'\g<1>date-released: "{stamp.date}"\n', text, count=1, flags=re.MULTILINE
    )
    if not found:
        raise ReleaseError(f"{CITATION_NAME} has no top-level `version:` line; add `version: {stamp.version}`.")
    return stamped


def manifest(folder: Path) -> str:
    """``sha256sum`` lines for every file under ``folder`` except the manifest, sorted by path."""
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    return "".join(f"{file_sha256(path)}  {name}\n" for name, path in files if name != MANIFEST)


def pin_pdf_dates(content: bytes, timestamp: int) -> bytes:
    """The PDF with its creation and modification dates set to ``timestamp``, every byte offset unchanged."""
    date = time.strftime(PDF_DATE_FORMAT, time.gmtime(timestamp)).encode()

    def pinned(match: re.Match) -> bytes:
        if len(match.group(2)) != len(date):
            raise ReleaseError(
                f"the PDF's {match.group(1).decode()} {match.group(2).decode(errors='replace')!r} is not as long as "
                f"{date.decode()!r}; replacing it would shift the PDF's cross-reference offsets. "
                "Chromium changed its date format: adapt PDF_DATE_FORMAT in compendium/release.py."
            )
        return match.group(0).replace(match.group(2), date)

    result, count = _PDF_DATE.subn(pinned, content)
    if count == 0:
        raise ReleaseError("the PDF has no /CreationDate nor /ModDate to pin; is it a PDF printed by Chromium?")
    return result


def _write_tar_gz(folder: Path, target: Path, timestamp: int) -> None:
    """``folder`` as a tar.gz whose bytes depend only on the files' names and contents and on ``timestamp``."""
    entries = [folder] + sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for path in entries:
            info = tarfile.TarInfo(path.relative_to(folder.parent).as_posix())
            info.mtime, info.uid, info.gid, info.uname, info.gname = timestamp, 0, 0, "", ""
            if path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, FOLDER_MODE
                archive.addfile(info)
            else:
                info.size, info.mode = path.stat().st_size, FILE_MODE
                with path.open("rb") as stream:
                    archive.addfile(info, stream)


def _json_text(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---- deposit metadata from CITATION.cff ---------------------------------------------------


def _licence(metadata: dict) -> str:
    licence = metadata.get("license")
    if not isinstance(licence, str):
        raise ReleaseError(
            f"{CITATION_NAME}: license is {licence!r}; a deposit takes one SPDX id, e.g. `license: MIT`."
        )
    return licence


def _orcid(author: dict) -> str | None:
    return author["orcid"].removeprefix("https://orcid.org/") if author.get("orcid") else None


def _zenodo_creator(author: dict) -> dict:
    if "name" in author:  # an entity
        creator = {"name": author["name"]}
    else:  # Zenodo wants "Family, Given"; a particle belongs to the family name ("van Gogh, Vincent")
        family = " ".join(part for part in (author.get("name-particle"), author.get("family-names")) if part)
        creator = {"name": ", ".join(part for part in (family, author.get("given-names")) if part)}
    creator.update(
        {key: value for key, value in (("affiliation", author.get("affiliation")), ("orcid", _orcid(author))) if value}
    )
    return creator


def _paper_identifiers(reference: dict) -> list[tuple[str, str]]:
    """(scheme, identifier) of the reproduced paper, where the CFF knows one."""
    return [(scheme, reference[key]) for key, scheme in (("doi", "doi"), ("url", "url")) if reference.get(key)]


def zenodo_metadata(metadata: dict) -> dict:
    """Zenodo deposit metadata (``.zenodo.json``) from validated, released CFF metadata."""
    if not metadata.get("abstract"):
        raise ReleaseError(f"{CITATION_NAME} has no abstract; Zenodo requires a description. Add `abstract:`.")
    related = [
        {"identifier": identifier, "relation": ZENODO_RELATION, "scheme": scheme}
        for scheme, identifier in _paper_identifiers(paper_reference(metadata))[:1]
    ]
    if metadata.get("repository-code"):
        related.append({"identifier": metadata["repository-code"], "relation": ZENODO_RELATION, "scheme": "url"})
    record = {
        "upload_type": UPLOAD_TYPES[metadata.get("type", "software")],
        "title": metadata["title"],
        "creators": [_zenodo_creator(author) for author in metadata["authors"]],
        "description": metadata["abstract"],
        "version": str(metadata["version"]),
        "publication_date": metadata.get("date-released"),
        "access_right": "open",
        "license": _licence(metadata),
        "keywords": metadata.get("keywords"),
        "related_identifiers": related,
        "notes": metadata.get("message"),
    }
    return {key: value for key, value in record.items() if value}


def _codemeta_agent(author: dict) -> dict:
    if "name" in author:
        agent = {"@type": "Organization", "name": author["name"]}
    else:
        family = " ".join(part for part in (author.get("name-particle"), author.get("family-names")) if part)
        agent = {"@type": "Person", "givenName": author.get("given-names"), "familyName": family or None}
        if author.get("affiliation"):
            agent["affiliation"] = {"@type": "Organization", "name": author["affiliation"]}
    if _orcid(author):
        agent["@id"] = f"https://orcid.org/{_orcid(author)}"
    return {key: value for key, value in agent.items() if value}


def codemeta(metadata: dict) -> dict:
    """CodeMeta 3.0 (``codemeta.json``) from validated, released CFF metadata."""
    paper = paper_reference(metadata)
    publication = {
        "@type": CODEMETA_WORK_TYPES.get(paper.get("type"), "CreativeWork"),
        "name": paper["title"],
        "author": [_codemeta_agent(author) for author in paper["authors"]],
        "datePublished": str(paper["year"]) if paper.get("year") else None,
        "identifier": [
            f"https://doi.org/{value}" if scheme == "doi" else value for scheme, value in _paper_identifiers(paper)
        ],
    }
    document = {
        "@context": CODEMETA_CONTEXT,
        "@type": "SoftwareSourceCode",
        "name": metadata["title"],
        "description": metadata.get("abstract"),
        "version": str(metadata["version"]),
        "datePublished": metadata.get("date-released"),
        "license": f"https://spdx.org/licenses/{_licence(metadata)}",
        "author": [_codemeta_agent(author) for author in metadata["authors"]],
        "keywords": metadata.get("keywords"),
        "codeRepository": metadata.get("repository-code"),
        "identifier": f"https://doi.org/{metadata['doi']}" if metadata.get("doi") else None,
        "referencePublication": {key: value for key, value in publication.items() if value},
    }
    return {key: value for key, value in document.items() if value}


# ---- verifying an archive ------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    kind: str  # "changed", "missing" (listed, not in the archive) or "extra" (in the archive, not listed)
    path: str


@dataclass
class Verification:
    archive: Path
    files: int = 0  # files listed in the manifest
    sidecar: Path | None = None  # the .sha256 beside the archive, when there is one
    problems: list[Problem] = field(default_factory=list)


def verify_archive(archive: Path) -> Verification:
    """Check a release archive against its MANIFEST.sha256, and against the .sha256 beside it if present."""
    archive = Path(archive)
    if not archive.is_file():
        raise DataUnavailableError(
            f"{archive}: no such file; pass the path of a release archive, e.g. dist/{ARCHIVE_STEM}-<version>.tar.gz."
        )
    outcome = Verification(archive)
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.is_file():
        outcome.sidecar = sidecar
        recorded = (sidecar.read_text(encoding="utf-8").split() or [""])[0]
        if file_sha256(archive) != recorded:
            outcome.problems.append(Problem("changed", f"{archive.name} (its sha256 is not the one in {sidecar.name})"))
    with tempfile.TemporaryDirectory() as scratch:
        _unpack(archive, Path(scratch))
        tops = sorted(Path(scratch).iterdir())
        if len(tops) != 1 or not (tops[0] / MANIFEST).is_file():
            raise DataValidationError(
                f"{archive}: expected one top folder holding {MANIFEST}, found {[p.name for p in tops]}; "
                "this is not an archive written by `compendium release`."
            )
        folder = tops[0]
        listed = _read_manifest(folder / MANIFEST, archive)
        outcome.files = len(listed)
        for name, digest in listed.items():
            path = folder / name
            if not path.is_file():
                outcome.problems.append(Problem("missing", name))
            elif file_sha256(path) != digest:
                outcome.problems.append(Problem("changed", name))
        present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        outcome.problems += [Problem("extra", name) for name in sorted(present - set(listed) - {MANIFEST})]
    return outcome


def _unpack(archive: Path, target: Path) -> None:
    try:
        # Read the whole gzip stream first: its CRC covers bytes that tar would never look at.
        with gzip.open(archive, "rb") as stream:
            while stream.read(1 << 20):
                pass
        with tarfile.open(archive, "r:gz") as members:
            members.extractall(target, filter="data")  # "data": no absolute paths, no links out of target
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise DataValidationError(
            f"{archive}: not a readable .tar.gz archive ({error}); pass the archive `compendium release` wrote, "
            "or download it again."
        ) from error


def _read_manifest(path: Path, archive: Path) -> dict[str, str]:
    listed = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _MANIFEST_LINE.match(line)
        if match is None:
            raise DataValidationError(f"{archive}: {MANIFEST} line {number} is not '<sha256>  <path>': {line!r}.")
        listed[match.group(2)] = match.group(1)
    return listed


# ---- Sphinx: the execution table of a release build ---------------------------------------


def untimed_execution_data(doc_data: dict) -> dict:
    """myst-nb's data per page with the execution time and duration removed (a copy; the input stays)."""
    return {
        name: dict(data, exec_data=dict(data["exec_data"], mtime=None, runtime=None)) if data.get("exec_data") else data
        for name, data in doc_data.items()
    }


def setup(app):
    """Sphinx extension: in a release build, the execution table leaves out when and how long each notebook ran.

    Those two columns are the only part of the HTML that differs between two builds
    of the same commit. The table is rebuilt from a copy of the execution data,
    so a later development build still shows the times.
    """
    from myst_nb.ext.execution_tables import ExecutionStatsNode, make_stat_table
    from myst_nb.sphinx_ import NbMetadataCollector
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class ReleaseExecutionTable(SphinxPostTransform):
        default_priority = 7  # before myst-nb's own transform (8), which then finds no placeholder left

        def run(self, **kwargs) -> None:
            placeholders = list(self.document.findall(ExecutionStatsNode))
            if not placeholders or read_stamp() is None:
                return
            untimed = untimed_execution_data(NbMetadataCollector.get_doc_data(self.env))
            for placeholder in placeholders:
                placeholder.replace_self(make_stat_table(self.env.docname, untimed))

    app.add_post_transform(ReleaseExecutionTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
