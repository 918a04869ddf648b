"""``dosecalc regimens validate``: one problem per line, ``file: field.path: message``, exit 2.

Each file in ``broken/`` is the minimal valid regimen of ``broken/README.md`` with one kind of
error. Every file is validated in-process (``dosecalc.cli.main`` with capsys); one real
subprocess validates them all at once, as another tool would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from dosecalc.cli import main
from dosecalc.regimen.loader import SITE_ENVIRONMENT_VARIABLE, load_library, shipped_directory, validate_paths

BROKEN = Path(__file__).resolve().parent / "broken"
REPO = Path(__file__).resolve().parents[2]

#: A field path: dotted names and ids, or one of the loader's markers for a whole file.
FIELD_PATH = re.compile(r"\(file\)|\(top level\)|\(directory\)|[A-Za-z0-9_][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Case:
    file: str
    field: str  # the field path, or a prefix of it ending at a dot
    message: str  # a fragment of the message
    path_bug: str | None = None  # why the field path is not yet the expected one


CASES = [
    Case("toml-syntax.toml", "(file)", "is not valid TOML"),
    Case("unknown-key.toml", "phases.induction.cycle_lenght", "Extra inputs are not permitted"),
    Case("missing-id.toml", "id", "Field required"),
    Case("bad-version.toml", "version", "'1.0'"),
    Case("bad-status.toml", "status", "'active'"),
    Case("dose-wrong-dimension.toml", "phases.induction.drugs.paclitaxel.dose", "does not match the amount"),
    Case("dose-no-unit.toml", "phases.induction.drugs.paclitaxel.dose", "needs its unit"),
    Case("auc-out-of-range.toml", "phases.induction.drugs.paclitaxel.dose", "1–10"),
    Case("bad-days.toml", "phases.induction.drugs.paclitaxel.days", "days must be increasing"),
    Case(
        "undeclared-choice-group.toml",
        "phases.induction.drugs.paclitaxel.choice",
        "choice group 'taxane' is not declared",
    ),
    Case(
        "unknown-choice-option.toml",
        "phases.induction.drugs.docetaxel.choice",
        "'cabazitaxel' is not an option of group 'chemo'",
    ),
    Case("unused-choice-group.toml", "choice_groups.pd1", "declared but no line uses it"),
    Case("duplicate-order.toml", "phases.induction", "share an order of administration"),
    Case("cycles-and-duration.toml", "phases.induction", "exactly one of cycles or duration"),
    Case("unknown-drug.toml", "phases.induction.drugs.cabazitaxel.drug", "not in the drug catalogue"),
    Case("imperial-weight-rule.toml", "phases.induction.drugs.sintilimab.weight_rule.below", "metric units only"),
    Case("no-sources.toml", "sources", "at least 1 item"),
    Case("oral-with-infusion.toml", "phases.induction.drugs.docetaxel", "no infusion duration"),
]
PAIR = ("duplicate-id-a.toml", "duplicate-id-b.toml")


@pytest.fixture(autouse=True)
def _no_site_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SITE_ENVIRONMENT_VARIABLE, raising=False)


def validate(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> tuple[int, str, list[str]]:
    """``dosecalc regimens validate PATHS`` in-process: exit status, stdout and the stderr lines."""
    status = main(["regimens", "validate", *(str(p) for p in paths)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err.splitlines()


def split(line: str, files: list[str]) -> tuple[str, str, str]:
    """``file: field.path: message`` → its three parts; the file must be one of ``files``."""
    for file in files:
        if line.startswith(f"{file}: "):
            field, sep, message = line[len(file) + 2 :].partition(": ")
            assert sep, f"no 'field: message' after the file name in {line!r}"
            assert FIELD_PATH.fullmatch(field), f"{field!r} is not a field path in {line!r}"
            assert message.strip(), line
            return file, field, message
    raise AssertionError(f"{line!r} names none of {files}")


def path_names(field: str, expected: str) -> bool:
    return field == expected or field.startswith(expected + ".")


def test_the_cases_cover_the_folder_and_its_readme() -> None:
    files = sorted(p.name for p in BROKEN.glob("*.toml"))
    assert files == sorted([c.file for c in CASES] + list(PAIR))
    readme = (BROKEN / "README.md").read_text(encoding="utf-8")
    for name in files:
        assert f"`{name}`" in readme, f"{name} is not listed in broken/README.md"


def test_the_minimal_regimen_of_the_readme_is_valid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The starting point of every broken file validates: each file's only error is its own."""
    readme = (BROKEN / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    path = tmp_path / "minimal.toml"
    path.write_text(block.group(1).replace("broken-<file name>", "broken-minimal"), encoding="utf-8")
    status, out, err = validate(capsys, path)
    assert (status, err) == (0, [])
    assert out.startswith("valid: ")


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_broken_file_is_refused(capsys: pytest.CaptureFixture[str], case: Case) -> None:
    file = str(BROKEN / case.file)
    status, out, err = validate(capsys, file)
    assert status == 2
    assert out == ""
    assert err, "no problem printed"
    assert all(split(line, [file]) for line in err)  # every line: this file, a field path, a message
    assert any(case.message in split(line, [file])[2] for line in err), err
    assert "Traceback" not in "\n".join(err)
    # one line per problem, exactly as the loader reports them
    assert err == [p.one_line() for p in validate_paths([Path(file)])]


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[c.file for c in CASES],
)
def test_field_path_names_the_offending_field(capsys: pytest.CaptureFixture[str], case: Case) -> None:
    file = str(BROKEN / case.file)
    status, _, err = validate(capsys, file)
    assert status == 2
    problems = [split(line, [file]) for line in err]
    assert any(path_names(field, case.field) and case.message in message for _, field, message in problems), err


@pytest.mark.parametrize("days", ["[8, 1]", '"14-1"', "[0, 1]", "[1, 1]", "[]", '"day 1"'])
def test_bad_days_in_any_form(capsys: pytest.CaptureFixture[str], tmp_path: Path, days: str) -> None:
    text = (BROKEN / "bad-days.toml").read_text(encoding="utf-8")
    assert text.count("days = [8, 1]") == 1
    path = tmp_path / "days.toml"
    path.write_text(text.replace("days = [8, 1]", f"days = {days}"), encoding="utf-8")
    status, _, err = validate(capsys, path)
    assert status == 2
    assert len(err) == 1
    _, field, message = split(err[0], [str(path)])
    assert path_names(field, "phases.induction.drugs.paclitaxel")
    assert "day" in message


def test_duplicate_id_pair(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = (str(BROKEN / name) for name in PAIR)
    for alone in (first, second):  # each file alone is valid
        assert validate(capsys, alone)[0] == 0
    status, _, err = validate(capsys, first, second)
    assert status == 2
    assert len(err) == 1
    file, field, message = split(err[0], [first, second])
    assert (file, field) == (second, "id")
    assert "broken-duplicate-id 1.0.0" in message
    assert first in message  # names where the id was seen first


def test_the_shipped_folder_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = validate(capsys, shipped_directory())
    assert err == []
    assert status == 0
    assert out.startswith("valid: ")


def test_broken_and_valid_files_together_report_only_the_broken(capsys: pytest.CaptureFixture[str]) -> None:
    valid = [shipped_directory() / "drugs.toml", shipped_directory() / "escc-nct07016737.toml"]
    broken = [BROKEN / c.file for c in CASES[:6]]
    paths = [valid[0], broken[0], valid[1], *broken[1:]]
    status, out, err = validate(capsys, *paths)
    assert status == 2
    assert out == ""
    named = {split(line, [str(p) for p in paths])[0] for line in err}
    assert named == {str(p) for p in broken}


def test_the_whole_broken_folder(capsys: pytest.CaptureFixture[str]) -> None:
    """A folder is searched for *.toml; every file reports its own error and nothing else."""
    status, _, err = validate(capsys, BROKEN)
    assert status == 2
    files = [str(BROKEN / c.file) for c in CASES] + [str(BROKEN / name) for name in PAIR]
    problems = [split(line, files) for line in err]
    for case in CASES:
        own = [message for file, _, message in problems if file == str(BROKEN / case.file)]
        assert own, f"{case.file} is not reported"
        assert all(case.message in message for message in own), own
    assert [file for file, _, _ in problems if file.endswith(PAIR)] == [str(BROKEN / PAIR[1])]


def test_a_missing_path_is_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-regimen.toml"
    status, out, err = validate(capsys, missing, shipped_directory() / "escc-nct07016737.toml")
    assert status == 2
    assert out == ""
    assert err == [f"{missing}: (file): does not exist"]


def test_validate_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = validate(capsys)
    assert status == 2
    assert len(err) == 1
    assert "Traceback" not in err[0]


def test_validate_as_a_real_process() -> None:
    """``python -m dosecalc regimens validate`` over every broken file: exit 2, one line per problem."""
    env = {k: v for k, v in os.environ.items() if k != SITE_ENVIRONMENT_VARIABLE} | {"PYTHONIOENCODING": "utf-8"}
    files = [str(BROKEN / c.file) for c in CASES] + [str(BROKEN / name) for name in PAIR]
    result = subprocess.run(
        [sys.executable, "-m", "dosecalc", "regimens", "validate", *files],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    named = {split(line, files)[0] for line in lines}
    assert named == set(files) - {str(BROKEN / PAIR[0])}
    assert len(lines) == len(validate_paths([Path(f) for f in files]))


def _site_catalogue_with(directory: Path, drug_id: str) -> None:
    """The shipped catalogue plus one drug, as a site's drugs.toml."""
    directory.mkdir()
    shipped = (shipped_directory() / "drugs.toml").read_text(encoding="utf-8")
    fields = {"id": drug_id, "generic": drug_id, "display": drug_id, "zh": "测试", "drug_class": "test"}
    extra = "\n[[drugs]]\n" + "".join(f'{key} = "{value}"\n' for key, value in fields.items())
    (directory / "drugs.toml").write_text(shipped + extra, encoding="utf-8")


def _regimen_using(directory: Path, name: str, drug_id: str) -> Path:
    text = (shipped_directory() / "escc-nct07016737.toml").read_text(encoding="utf-8")
    for old, new in (('id = "escc-nct07016737"', f'id = "{name}"'), ('drug = "docetaxel"', f'drug = "{drug_id}"')):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_site_catalogue_is_used_for_files_named_after_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = tmp_path / "site"
    _site_catalogue_with(site, "cabazitaxel")
    _regimen_using(site, "z-site", "cabazitaxel")  # sorts after drugs.toml
    status, _, err = validate(capsys, site)
    assert (status, err) == (0, [])


def test_a_site_catalogue_is_used_for_every_file_of_its_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _site_catalogue_with(site, "cabazitaxel")
    _regimen_using(site, "a-site", "cabazitaxel")  # sorts before drugs.toml
    assert "a-site" in load_library(site).regimens  # the loader accepts it
    status, _, err = validate(capsys, site)
    assert (status, err) == (0, [])


def test_validate_and_the_loader_agree_on_two_versions_in_one_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    text = (shipped_directory() / "escc-nct07016737.toml").read_text(encoding="utf-8")
    for name, version in (("a", "2.0.0"), ("b", "2.1.0")):
        (site / f"{name}.toml").write_text(
            text.replace('version = "1.0.0"', f'version = "{version}"'), encoding="utf-8"
        )
    assert [p for p in load_library(site).problems if p.file.startswith(str(site))] == []
    status, _, err = validate(capsys, site)
    assert (status, err) == (0, [])
