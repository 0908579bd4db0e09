"""The ``compendium`` command: list, run and sweep chapters, build the book, check the data, audit, release."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from analysis import paths
from analysis.errors import CompendiumError, ParameterError
from compendium import chapters, manifest, parameters, runs, sweeps
from compendium.kernels import CellProgress
from compendium.run_parameters import notebook_parameters, resolve_parameters
from compendium.values import parse_value


class CompendiumFailure(click.ClickException):
    """A compendium error, shown as one clear message; bad parameters exit with 2 like usage errors."""

    def __init__(self, error: CompendiumError):
        super().__init__(str(error))
        self.exit_code = 2 if isinstance(error, ParameterError) else 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _chapter(name: str) -> chapters.Chapter:
    try:
        return chapters.find(name)
    except CompendiumError as error:
        raise CompendiumFailure(error) from error


def _given(pairs: tuple[tuple[str, str], ...]) -> dict:
    given = {}
    for name, text in pairs:
        if name in given:
            raise CompendiumFailure(ParameterError(f"parameter {name!r} is given twice; give each parameter once."))
        try:
            given[name] = parse_value(text)
        except ParameterError as error:
            raise CompendiumFailure(ParameterError(f"parameter {name!r}: {error}")) from error
    return given


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Re-run the chapters of the CIS migration compendium with your own parameters."""


@contextmanager
def _cell_progress(chapter: chapters.Chapter) -> Iterator[CellProgress]:
    """A progress bar on stderr: the run's cells done, out of its cells in total, from the first cell done on."""
    from tqdm import tqdm

    bars = []  # none until a cell is done: a run refused before its kernel starts shows no bar

    def show(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(desc=chapter.slug, unit="cell", total=total, file=sys.stderr))
        bars[0].total, bars[0].n = total, done
        bars[0].refresh()

    try:
        yield show
    finally:
        for bar in bars:
            bar.close()
            sys.stderr.flush()  # the bar's last newline, before the result is printed on stdout


@main.command("list")
def list_chapters() -> None:
    """List the chapters and their parameters (type and default from each parameters cell)."""
    runnable = chapters.runnable()
    if not runnable:
        click.echo(f"no chapters with declared parameters in {chapters.TOC}")
    for chapter in runnable:
        click.echo(f"{chapter.command_name}  {chapter.slug}  ({chapter.notebook})")
        declared = parameters.CHAPTERS.get(chapter.slug, {})
        cell = notebook_parameters(chapter.notebook)
        if not cell:
            click.echo("    (no parameters)")
        for name, item in cell.items():
            spec = declared.get(name)
            allowed = spec.allowed() if spec else "NOT DECLARED in compendium/parameters.py"
            click.echo(f"    {name}: {item['type']} = {item['default']}   allowed: {allowed}")
            if spec:
                click.echo(f"        {spec.help}")


@main.command("run")
@click.argument("chapter")
@click.option(
    "-p",
    "--parameter",
    "pairs",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help='A parameter value, read like papermill\'s -p; lists as \'["ARM", "UZB"]\'. Repeatable.',
)
@click.option(
    "--runs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.RUNS_DIR,
    show_default=True,
    help="Where run folders are written.",
)
def run_chapter(chapter: str, pairs: tuple, runs_dir: Path) -> None:
    """Execute CHAPTER (number, name or notebook path) into its own folder under runs/."""
    target = _chapter(chapter)
    given = _given(pairs)
    try:
        values = resolve_parameters(target, given)
    except CompendiumError as error:
        raise CompendiumFailure(error) from error
    earlier = manifest.successful_runs(target, runs_dir)
    click.echo(f"running {target.notebook.name} with {json.dumps(values)}", err=True)
    try:
        with _cell_progress(target) as progress:
            result = runs.execute(target, given, values, runs_dir, on_cell_done=progress)
    except CompendiumError as error:  # e.g. an unreadable data package, found while hashing the inputs
        raise CompendiumFailure(error) from error
    except runs.RunInterrupted as stop:
        click.echo(
            f"interrupted by {stop.signal_name}: {stop.directory} (its {manifest.MANIFEST} says how far it got)",
            err=True,
        )
        sys.exit(128 + signal.Signals[stop.signal_name].value)
    if result.run_key in earlier:
        click.echo(f"same run key as the earlier successful run {earlier[result.run_key]}", err=True)
    click.echo(f"{result.status}: {result.directory}")
    click.echo(f"run key: {result.run_key}")
    if result.status != "succeeded":
        click.echo(f"error: {result.error} (details in {result.directory / manifest.MANIFEST})", err=True)
        sys.exit(1)


@main.command("sweep")
@click.argument("chapter")
@click.option(
    "--grid",
    "grid_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file mapping each parameter to a list of values; every combination is run.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Parallel runs (default: the number of CPUs)."
)
@click.option(
    "--runs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.RUNS_DIR,
    show_default=True,
    help="Where run folders are written.",
)
def sweep_chapter(chapter: str, grid_file: Path, workers: int | None, runs_dir: Path) -> None:
    """Run CHAPTER over every point of a grid; points already run with the same key are reused."""
    target = _chapter(chapter)
    try:
        outcome = sweeps.sweep(target, grid_file, workers=workers, runs_dir=runs_dir)
    except CompendiumError as error:
        raise CompendiumFailure(error) from error
    statuses = [r.status if r else "not run" for r in outcome.results]
    reused = sum(bool(r and r.reused) for r in outcome.results)
    click.echo(
        f"{statuses.count('succeeded')} of {len(statuses)} points succeeded ({reused} reused from "
        f"earlier runs); summary: {outcome.summary}"
    )
    if statuses.count("succeeded") != len(statuses):
        for point, result in zip(outcome.points, outcome.results):
            if result is None or result.status != "succeeded":
                where = result.directory if result else "-"
                click.echo(f"  {result.status if result else 'not run'}: {point} {where}", err=True)
        sys.exit(1)


@main.command("book")
def book() -> None:
    """Build the book as `make book` does: re-execute what changed, then jupyter-book -W -n."""
    from compendium.build import build_book

    try:
        executed = build_book()
    except CompendiumError as error:  # a failing notebook, an unreadable data package
        raise CompendiumFailure(error) from error
    click.echo(f"re-executed {len(executed)} notebook(s): {', '.join(p.name for p in executed) or 'none'}")


@main.command("check")
@click.option(
    "--descriptor",
    type=click.Path(dir_okay=False, path_type=Path),
    default=paths.DATAPACKAGE,
    show_default=True,
    help="The data package descriptor to verify.",
)
def check(descriptor: Path) -> None:
    """Verify every data package file: its path, schema, the loaders' rules and its recorded sha256."""
    from analysis import package_check

    try:
        problems = package_check.package_problems(descriptor)
    except CompendiumError as error:
        raise CompendiumFailure(error) from error
    for name, found in problems.items():
        if found:
            click.echo(f"FAIL {name}:\n  " + "\n  ".join(found), err=True)
        else:
            click.echo(f"ok   {name}")
    broken = sum(bool(found) for found in problems.values())
    if broken:
        click.echo(f"{broken} of {len(problems)} data files have problems.", err=True)
        sys.exit(1)
    click.echo(f"all {len(problems)} data files match their schemas, the loaders' rules and their recorded hashes.")


@main.command("audit")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the audit table [default: results/audit.csv].",
)
def audit(output: Path | None) -> None:
    """Check every claim of the paper's ledger and write the audit table; print the claims per status."""
    from analysis import audit as paper_audit

    try:
        table = paper_audit.audit_table()
        written = paper_audit.write_audit_csv(output or paper_audit.AUDIT_CSV, frame=table)
    except CompendiumError as error:
        raise CompendiumFailure(error) from error
    for status, claims in paper_audit.status_counts(table).itertuples(index=False):
        click.echo(f"{claims:4d}  {status}")
    click.echo(f"{len(table)} claims; the audit table: {written}")


@main.command("release")
@click.option(
    "--dist",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.DIST_DIR,
    show_default=True,
    help="Where the archive, its .sha256 and the deposit metadata are written.",
)
def release_command(dist: Path) -> None:
    """Build a clean book and PDF at the current commit and archive them, ready for deposit."""
    from compendium import release

    try:
        archive = release.release(dist=dist)
    except CompendiumError as error:
        raise CompendiumFailure(error) from error
    click.echo(f"archive: {archive}")
    click.echo(f"sha256:  {archive.with_name(archive.name + '.sha256')}")
    click.echo(f"deposit metadata: {archive.parent / release.ZENODO_FILE}, {archive.parent / release.CODEMETA_FILE}")


@main.command("verify")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
def verify(archive: Path) -> None:
    """Check every file of a release ARCHIVE against its MANIFEST.sha256 (and the .sha256 beside it)."""
    from compendium import release

    try:
        outcome = release.verify_archive(archive)
    except CompendiumError as error:
        raise CompendiumFailure(error) from error
    for problem in outcome.problems:
        click.echo(f"{problem.kind}: {problem.path}", err=True)
    if outcome.problems:
        click.echo(
            f"{archive}: {len(outcome.problems)} problem(s); this is not the archive that was released.", err=True
        )
        sys.exit(1)
    beside = f", and the archive matches {outcome.sidecar.name}" if outcome.sidecar else ""
    click.echo(f"ok: all {outcome.files} files match {release.MANIFEST}{beside}.")


if __name__ == "__main__":
    main()
