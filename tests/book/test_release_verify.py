"""``compendium verify``: an intact archive passes; a changed, missing or extra file is named."""

from __future__ import annotations

import io
import shutil
import tarfile

import pytest
from click.testing import CliRunner

from analysis.errors import DataUnavailableError, DataValidationError
from compendium import cli, release
from helpers.release_archive import members, rewrite

# ---- the verifier -----------------------------------------------------------------------------


def test_an_intact_archive_verifies(small_archive):
    outcome = release.verify_archive(small_archive)
    assert outcome.problems == []
    assert outcome.sidecar == small_archive.with_name(small_archive.name + ".sha256")
    assert outcome.files == sum(1 for member in members(small_archive) if member.isfile()) - 1  # all but the manifest


def test_one_changed_byte_is_named(small_archive, tmp_path):
    def flip_one_byte(name, data):
        return data[:2] + bytes([data[2] ^ 1]) + data[3:] if name == "results/index.json" else data

    changed = rewrite(small_archive, tmp_path / "changed" / small_archive.name, flip_one_byte)
    assert release.verify_archive(changed).problems == [release.Problem("changed", "results/index.json")]
    # Beside the published .sha256, the archive itself is reported too.
    shutil.copyfile(
        small_archive.with_name(small_archive.name + ".sha256"), changed.with_name(changed.name + ".sha256")
    )
    assert [p.kind for p in release.verify_archive(changed).problems] == ["changed", "changed"]
    result = CliRunner().invoke(cli.main, ["verify", str(changed)])
    assert result.exit_code == 1
    assert "changed: results/index.json" in result.output


def test_missing_and_extra_files_are_named(small_archive, tmp_path):
    def drop_readme_and_add_a_file(name, data):
        if name == "README.md":
            return None
        return data

    rewritten = rewrite(small_archive, tmp_path / "x" / small_archive.name, drop_readme_and_add_a_file)
    with tarfile.open(rewritten, "r:gz") as source:
        members = [(m, source.extractfile(m).read() if m.isfile() else None) for m in source.getmembers()]
    extra = tarfile.TarInfo(members[0][0].name + "/results/smuggled.csv")
    extra.size = 3
    with tarfile.open(rewritten, "w:gz") as target:
        for member, data in members:
            target.addfile(member, io.BytesIO(data) if data is not None else None)
        target.addfile(extra, io.BytesIO(b"1,2"))
    assert release.verify_archive(rewritten).problems == [
        release.Problem("missing", "README.md"),
        release.Problem("extra", "results/smuggled.csv"),
    ]


def test_a_corrupted_byte_of_the_compressed_file_is_caught(small_archive):
    content = bytearray(small_archive.read_bytes())
    content[len(content) // 2] ^= 0xFF
    small_archive.write_bytes(bytes(content))
    try:
        problems = release.verify_archive(small_archive).problems
    except DataValidationError as error:
        assert "not a readable .tar.gz" in str(error)
    else:
        assert problems, "a changed byte of the archive went unnoticed"


def test_bad_input_gets_one_clear_error(tmp_path):
    with pytest.raises(DataUnavailableError, match=r"nothing\.tar\.gz: no such file"):
        release.verify_archive(tmp_path / "nothing.tar.gz")
    text = tmp_path / "notes.tar.gz"
    text.write_text("just text")
    with pytest.raises(DataValidationError, match=r"notes\.tar\.gz: not a readable \.tar\.gz"):
        release.verify_archive(text)
    no_manifest = tmp_path / "plain.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as archive:
        info = tarfile.TarInfo("plain/README.md")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(DataValidationError, match=r"expected one top folder holding MANIFEST\.sha256"):
        release.verify_archive(no_manifest)
    result = CliRunner().invoke(cli.main, ["verify", str(tmp_path / "nothing.tar.gz")])
    assert result.exit_code == 1
    assert result.output.count("error:") == 1 and "no such file" in result.output


def test_a_broken_manifest_line_is_named(small_archive, tmp_path):
    broken = rewrite(
        small_archive,
        tmp_path / "b" / small_archive.name,
        lambda name, data: data + b"not a hash line\n" if name == "MANIFEST.sha256" else data,
    )
    with pytest.raises(DataValidationError, match=r"MANIFEST\.sha256 line \d+ is not"):
        release.verify_archive(broken)


def test_verify_on_the_command_line(small_archive):
    result = CliRunner().invoke(cli.main, ["verify", str(small_archive)])
    assert result.exit_code == 0, result.output
    assert "ok: all" in result.output and "matches cis-migration-compendium" in result.output
