"""Finding and loading the regimen library: shipped files, the site directory, list and show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import regimens
from dosecalc.cli import main
from dosecalc.regimen.loader import (
    CATALOGUE_FILE,
    SITE_ENVIRONMENT_VARIABLE,
    Library,
    load_library,
    shipped_directory,
)
from dosecalc.regimen.model import Status

ESCC = "escc-nct07016737"


@pytest.fixture(autouse=True)
def _no_site_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SITE_ENVIRONMENT_VARIABLE, raising=False)


def shipped_text() -> str:
    return (shipped_directory() / f"{ESCC}.toml").read_text(encoding="utf-8")


def variant(text: str, **fields: str) -> str:
    """The regimen text with top-level ``key = "value"`` lines replaced (each must occur once)."""
    for key, value in fields.items():
        old = next(line for line in text.splitlines() if line.startswith(f"{key} = "))
        assert text.count(old + "\n") == 1, old
        text = text.replace(old + "\n", f'{key} = "{value}"\n')
    return text


def site_with(directory: Path, **files: str) -> Path:
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        (directory / f"{name}.toml").write_text(text, encoding="utf-8")
    return directory


def problems_naming(library: Library, path: Path) -> list[str]:
    return [p.one_line() for p in library.problems if p.file == str(path)]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    """``dosecalc ARGS --json`` in-process: exit status, the JSON object and stderr."""
    status = main([*args, "--json"])
    captured = capsys.readouterr()
    return status, json.loads(captured.out) if captured.out else None, captured.err


def test_the_shipped_library_is_a_package_resource() -> None:
    directory = shipped_directory()
    assert (directory / CATALOGUE_FILE).is_file()
    assert (directory / f"{ESCC}.toml").is_file()
    assert directory == Path(regimens.__file__).resolve().parent


def test_the_shipped_library_loads() -> None:
    library = load_library()
    regimen = library.regimens[ESCC]
    assert regimen.version == "1.0.0"
    assert library.regimen(ESCC) is regimen
    assert library.regimen(ESCC, "1.0.0") is regimen
    assert library.origins[(ESCC, "1.0.0")] == f"shipped: {ESCC}.toml"
    assert library.catalogue.get("paclitaxel") is not None
    assert regimen in library.active()


def test_a_site_file_overrides_by_id_and_both_versions_stay(tmp_path: Path) -> None:
    site = site_with(tmp_path / "site", local=variant(shipped_text(), version="1.1.0"))
    library = load_library(site)
    assert library.regimens[ESCC].version == "1.1.0"  # the site's file wins by id
    assert library.versions[(ESCC, "1.0.0")].version == "1.0.0"  # a plan pinned to 1.0.0 keeps it
    assert library.versions[(ESCC, "1.1.0")] is library.regimens[ESCC]
    assert library.regimen(ESCC, "1.0.0") is library.versions[(ESCC, "1.0.0")]
    assert library.origins[(ESCC, "1.0.0")] == f"shipped: {ESCC}.toml"
    assert library.origins[(ESCC, "1.1.0")] == "site: local.toml"
    assert problems_naming(library, site / "local.toml") == []


def test_a_site_file_adds_a_regimen(tmp_path: Path) -> None:
    site = site_with(tmp_path / "site", extra=variant(shipped_text(), id="site-only", status="draft"))
    library = load_library(site)
    assert library.regimens[ESCC].version == "1.0.0"
    assert library.regimens["site-only"].status is Status.DRAFT
    assert library.origins[("site-only", "1.0.0")] == "site: extra.toml"


def test_an_invalid_site_file_is_refused_and_the_shipped_library_still_loads(tmp_path: Path) -> None:
    broken = variant(shipped_text(), version="1.1", status="active")  # two problems in one file
    site = site_with(tmp_path / "site", broken=broken)
    library = load_library(site)
    assert library.regimens[ESCC].version == "1.0.0"
    assert (ESCC, "1.1") not in library.versions
    problems = problems_naming(library, site / "broken.toml")
    assert len(problems) == 2
    assert any(line.startswith(f"{site / 'broken.toml'}: version: ") for line in problems)
    assert any(line.startswith(f"{site / 'broken.toml'}: status: ") for line in problems)


def test_a_site_file_with_an_unknown_drug_is_refused(tmp_path: Path) -> None:
    text = variant(shipped_text(), version="1.1.0").replace('drug = "docetaxel"', 'drug = "cabazitaxel"')
    site = site_with(tmp_path / "site", unknown=text)
    library = load_library(site)
    assert library.regimens[ESCC].version == "1.0.0"
    assert problems_naming(library, site / "unknown.toml") == [
        f"{site / 'unknown.toml'}: phases.induction.drugs.cabazitaxel.drug: is not in the drug catalogue"
    ]


def test_two_versions_in_one_directory_both_load_and_the_higher_is_current(tmp_path: Path) -> None:
    site = site_with(
        tmp_path / "site",
        a=variant(shipped_text(), version="2.1.0"),
        b=variant(shipped_text(), version="2.0.0"),  # same id, another version, same directory
    )
    library = load_library(site)
    assert problems_naming(library, site / "a.toml") == []
    assert problems_naming(library, site / "b.toml") == []
    assert library.regimens[ESCC].version == "2.1.0"  # by version, not by file name
    assert {(ESCC, "2.0.0"), (ESCC, "2.1.0"), (ESCC, "1.0.0")} <= set(library.versions)


def test_the_same_id_and_version_twice_in_one_directory_is_a_problem(tmp_path: Path) -> None:
    site = site_with(
        tmp_path / "site",
        a=variant(shipped_text(), version="2.0.0"),
        b=variant(shipped_text(), version="2.0.0"),
    )
    library = load_library(site)
    problems = problems_naming(library, site / "b.toml")
    assert len(problems) == 1
    assert problems[0].startswith(f"{site / 'b.toml'}: version: {ESCC} 2.0.0 is also defined in ")
    assert str(site / "a.toml") in problems[0]


def test_a_site_file_may_not_change_a_shipped_version(tmp_path: Path) -> None:
    changed = shipped_text().replace('amount = "175 mg/m**2"', 'amount = "135 mg/m**2"')
    assert changed != shipped_text()
    site = site_with(tmp_path / "site", same=changed)
    library = load_library(site)
    problems = problems_naming(library, site / "same.toml")
    assert len(problems) == 1
    assert "give the site's change a new version" in problems[0]
    assert library.origins[(ESCC, "1.0.0")].startswith("shipped")


def test_the_site_directory_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_with(tmp_path / "site", local=variant(shipped_text(), version="1.2.0"))
    monkeypatch.setenv(SITE_ENVIRONMENT_VARIABLE, str(site))
    library = load_library()
    assert library.regimens[ESCC].version == "1.2.0"
    assert library.origins[(ESCC, "1.2.0")] == "site: local.toml"
    # a directory given explicitly wins over the environment
    other = site_with(tmp_path / "other", local=variant(shipped_text(), version="1.3.0"))
    assert load_library(other).regimens[ESCC].version == "1.3.0"


def test_the_environment_reaches_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with(tmp_path / "site", local=variant(shipped_text(), version="1.2.0"))
    monkeypatch.setenv(SITE_ENVIRONMENT_VARIABLE, str(site))
    status, payload, _ = cli(capsys, "regimens", "list")
    assert status == 0
    row = next(r for r in payload["regimens"] if r["id"] == ESCC)
    assert (row["version"], row["origin"]) == ("1.2.0", "site: local.toml")


def test_a_missing_site_directory_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-directory"
    library = load_library(missing)
    assert [p.one_line() for p in library.problems if p.file == str(missing)] == [
        f"{missing}: (directory): does not exist"
    ]
    assert library.regimens[ESCC].version == "1.0.0"


def test_a_missing_site_directory_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-directory"
    status, payload, _ = cli(capsys, "regimens", "list", "--site-regimens", str(missing))
    assert status == 0
    assert f"{missing}: (directory): does not exist" in payload["problems"]
    assert ESCC in [r["id"] for r in payload["regimens"]]
    # and in text mode as a REFUSED line
    assert main(["regimens", "list", "--site-regimens", str(missing)]) == 0
    assert f"REFUSED: {missing}: (directory): does not exist" in capsys.readouterr().out.splitlines()


def test_a_site_catalogue_replaces_the_shipped_one(tmp_path: Path) -> None:
    catalogue = (shipped_directory() / CATALOGUE_FILE).read_text(encoding="utf-8")
    text = catalogue.replace('zh = "紫杉醇"', 'zh = "紫杉醇（本院）"')
    assert text != catalogue
    site = site_with(tmp_path / "site", drugs=text)
    library = load_library(site)
    drug = library.catalogue.get("paclitaxel")
    assert drug is not None
    assert drug.zh == "紫杉醇（本院）"


def test_an_invalid_site_catalogue_is_refused(tmp_path: Path) -> None:
    site = site_with(tmp_path / "site", drugs="schema_version = 1\ndrugs = []\n")
    library = load_library(site)
    assert problems_naming(library, site / CATALOGUE_FILE) == [
        f"{site / CATALOGUE_FILE}: drugs: List should have at least 1 item after validation, not 0"
    ]
    assert library.catalogue.get("paclitaxel") is not None  # the shipped catalogue stays
    assert library.regimens[ESCC].version == "1.0.0"


def test_regimens_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, err = cli(capsys, "regimens", "list")
    assert (status, err) == (0, "")
    row = next(r for r in payload["regimens"] if r["id"] == ESCC)
    assert {"id", "name", "version", "status"} <= set(row)
    assert row["version"] == "1.0.0"
    assert row["status"] == "approved"
    assert "NCT07016737" in row["name"]
    assert all(isinstance(r[key], str) for r in payload["regimens"] for key in ("id", "name", "version", "status"))
    assert [r["id"] for r in payload["regimens"]] == sorted(r["id"] for r in payload["regimens"])


def test_regimens_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regimens", "list"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith(ESCC))
    assert "v1.0.0" in line
    assert "approved" in line


def test_regimens_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, payload, err = cli(capsys, "regimens", "show", ESCC)
    assert (status, err) == (0, "")
    regimen = payload["regimen"]
    assert (regimen["id"], regimen["version"], regimen["status"]) == (ESCC, "1.0.0", "approved")
    assert [p["id"] for p in regimen["phases"]] == ["induction", "maintenance", "salvage"]
    groups = {g["id"]: [o["id"] for o in g["options"]] for g in regimen["choice_groups"]}
    assert groups == {
        "pd1": ["sintilimab", "camrelizumab"],
        "chemo": ["paclitaxel", "docetaxel", "irinotecan"],
        "rt": ["45gy-25fx", "50.4gy-28fx"],
    }
    induction = regimen["phases"][0]
    paclitaxel = next(d for d in induction["drugs"] if d["drug"] == "paclitaxel")
    assert paclitaxel["dose"] == {"basis": "mg/m2", "amount": "175 mg/m**2", "confirmed": True, "note": None}
    assert paclitaxel["choice"] == "chemo=paclitaxel"
    salvage = regimen["phases"][2]
    assert [d["drug"] for d in salvage["drugs"]] == ["paclitaxel", "carboplatin"]
    assert payload["origin"] == f"shipped: {ESCC}.toml"


def test_regimens_show_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regimens", "show", ESCC]) == 0
    out = capsys.readouterr().out
    assert "Choice chemo (Single-agent chemotherapy): paclitaxel | docetaxel | irinotecan" in out
    assert "Phase salvage" in out
    assert "PACLitaxel 175 mg/m²" in out


@pytest.mark.parametrize("command", ["show", "order"])
def test_an_unknown_regimen_id(capsys: pytest.CaptureFixture[str], command: str) -> None:
    args = ["regimens", "show", "no-such-regimen"] if command == "show" else ["order", "--regimen", "no-such-regimen"]
    if command == "order":
        args += ["--phase", "induction"]
    status, payload, err = cli(capsys, *args)
    assert status == 2
    assert err.startswith("regimen: no-such-regimen is not in the regimen library")
    assert len(err.splitlines()) == 1
    assert payload["error"]["field"] == "regimen"
    assert ESCC in payload["error"]["message"]  # names what is available
