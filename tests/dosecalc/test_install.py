"""An installed bundle finds the ward's ``site`` folder beside its programs; the environment still overrides it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dosecalc.errors import InputError
from dosecalc.install import installation_folder, installed_site_regimens, installed_site_settings
from dosecalc.regimen.loader import SITE_ENVIRONMENT_VARIABLE, load_library, shipped_directory
from dosecalc.site import SITE_SETTINGS_VARIABLE, load_site_settings, site_settings_path
from dosecalc.store.db import DATABASE_URL_VARIABLE, resolve_url

ESCC = "escc-nct07016737"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundle folder with a site folder, as if the running program were its dosecalc-app."""
    folder = tmp_path / "DoseCalc"
    (folder / "site" / "regimens").mkdir(parents=True)
    (folder / "dosecalc-app").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "dosecalc-app"))
    monkeypatch.delenv(SITE_SETTINGS_VARIABLE, raising=False)
    monkeypatch.delenv(SITE_ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)
    return folder


def write_settings(path: Path, **values: str) -> Path:
    path.write_text(json.dumps({"schema_version": 1, **values}), encoding="utf-8")
    return path


def test_not_a_bundle_has_no_installation_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert installation_folder() is None
    assert installed_site_settings() is None
    assert installed_site_regimens() is None


def test_a_bundle_reached_through_a_symbolic_link_finds_its_real_folder(installed: Path, tmp_path: Path) -> None:
    link = tmp_path / "bin" / "dosecalc-app"  # /usr/bin/dosecalc-app -> /opt/dosecalc/dosecalc-app
    link.parent.mkdir()
    link.symlink_to(installed / "dosecalc-app")
    assert installation_folder(frozen=True, executable=str(link)) == installed.resolve()


def test_the_site_file_beside_the_programs_is_the_settings(installed: Path) -> None:
    write_settings(installed / "site" / "site.json", closures="none", contact_number="+86 25 1234 5678")
    assert site_settings_path() == installed.resolve() / "site" / "site.json"
    settings = load_site_settings()
    assert settings.closures == "none"
    assert settings.contact_number == "+86 25 1234 5678"


def test_the_environment_variable_overrides_the_installed_site_file(
    installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_settings(installed / "site" / "site.json", closures="none")
    elsewhere = write_settings(tmp_path / "other.json", closures="CN")
    monkeypatch.setenv(SITE_SETTINGS_VARIABLE, str(elsewhere))
    assert site_settings_path() == elsewhere
    assert load_site_settings().closures == "CN"


def test_a_bundle_without_a_site_folder_uses_the_users_file(
    installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (installed / "site" / "regimens").rmdir()
    (installed / "site").rmdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert site_settings_path() == tmp_path / "config" / "DoseCalc" / "site.json"
    assert installed_site_regimens() is None


def test_a_bad_installed_site_file_is_refused_naming_the_file_and_field(installed: Path) -> None:
    path = write_settings(installed / "site" / "site.json", max_deviation="50 %")
    with pytest.raises(InputError) as caught:
        load_site_settings()
    assert str(path.resolve()) in caught.value.one_line()
    assert "max_deviation" in caught.value.one_line()


def test_the_site_database_url_reaches_the_store(installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_settings(installed / "site" / "site.json", database_url="postgresql://ward@db.hospital.local/dosecalc")
    # A plain postgresql:// URL is given the psycopg driver, as for --db.
    assert resolve_url() == "postgresql+psycopg://ward@db.hospital.local/dosecalc"
    assert resolve_url("sqlite:///given.sqlite3") == "sqlite:///given.sqlite3"  # --db first
    monkeypatch.setenv(DATABASE_URL_VARIABLE, "sqlite:///environment.sqlite3")
    assert resolve_url() == "sqlite:///environment.sqlite3"  # then the environment, then the site


def test_no_site_database_url_leaves_the_users_sqlite_file(installed: Path, tmp_path: Path) -> None:
    write_settings(installed / "site" / "site.json")
    assert resolve_url().startswith("sqlite:///")
    assert resolve_url().endswith("dosecalc.sqlite3")


def test_the_installed_site_regimens_join_the_library(installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (shipped_directory() / f"{ESCC}.toml").read_text(encoding="utf-8")
    (installed / "site" / "regimens" / "ward.toml").write_text(
        text.replace('version = "1.0.0"', 'version = "1.1.0"', 1), encoding="utf-8"
    )
    library = load_library()
    assert library.problems == ()
    assert library.regimens[ESCC].version == "1.1.0"
    assert library.origins[(ESCC, "1.1.0")] == "site: ward.toml"
    monkeypatch.setenv(SITE_ENVIRONMENT_VARIABLE, str(installed / "site"))  # the variable still overrides
    assert load_library().regimens[ESCC].version == "1.0.0"
