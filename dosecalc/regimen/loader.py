"""Finding, reading and validating the regimen library.

The shipped library is the ``regimens`` data package (a folder of TOML files),
found through :mod:`importlib.resources`, so a source checkout, an installed
wheel and a frozen app find it the same way. A site directory (``--site-regimens``,
``DOSECALC_SITE_REGIMENS``, or an installed bundle's ``site/regimens`` folder) adds
files and overrides shipped regimens by id; every version stays reachable by (id, version) so that a plan pinned to a
version keeps it.

A file that fails validation is refused with one problem per error, naming the
file, the field path and the value; the rest of the library still loads.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dosecalc.install import installed_site_regimens
from dosecalc.regimen.model import Catalogue, Regimen, Status

__all__ = ["CATALOGUE_FILE", "Library", "Problem", "load_library", "shipped_directory", "validate_paths"]

CATALOGUE_FILE = "drugs.toml"
SITE_ENVIRONMENT_VARIABLE = "DOSECALC_SITE_REGIMENS"


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a file was refused: ``file: field.path: message``."""

    file: str
    path: str
    message: str

    def one_line(self) -> str:
        return " ".join(f"{self.file}: {self.path}: {self.message}".splitlines())


@dataclass(frozen=True)
class Library:
    regimens: dict[str, Regimen]  # by id: the site's file if it has one, else the shipped one
    versions: dict[tuple[str, str], Regimen]  # every (id, version) loaded
    catalogue: Catalogue
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def regimen(self, regimen_id: str, version: str | None = None) -> Regimen:
        if version is not None:
            return self.versions[(regimen_id, version)]
        return self.regimens[regimen_id]

    def active(self) -> list[Regimen]:
        """Regimens that may be used for new orders (not withdrawn or superseded)."""
        return [r for r in self.regimens.values() if r.status in (Status.APPROVED, Status.DRAFT)]


def shipped_directory() -> Path:
    """The folder of the shipped ``regimens`` data package."""
    return Path(str(resources.files("regimens")))


def _read(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle), []
    except tomllib.TOMLDecodeError as error:
        return None, [Problem(str(path), "(file)", f"is not valid TOML: {error}")]
    except OSError as error:
        return None, [Problem(str(path), "(file)", f"cannot be read: {error.strerror or error}")]


def _problems(path: Path, error: ValidationError, data: dict[str, Any]) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        location = _readable_location(item["loc"], data)
        message = item["msg"].removeprefix("Value error, ")
        if message.startswith("@"):
            # A model check that knows the exact field names it with a leading "@path: ".
            relative, _, message = message[1:].partition(": ")
            location = f"{location}.{relative}" if location else relative
        if item["type"] not in ("missing",) and "input" in item and not isinstance(item["input"], dict | list):
            message += f" (value: {item['input']!r})"
        problems.append(Problem(str(path), location or "(top level)", message))
    return problems


def _readable_location(location: Sequence[int | str], data: Any) -> str:
    """``phases.induction.drugs.paclitaxel.dose.amount`` rather than ``phases.0.drugs.1.dose.amount``."""
    parts: list[str] = []
    node = data
    for key in location:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
            label = node.get("id") or node.get("drug") if isinstance(node, dict) else None
            parts.append(f"{label}" if label else str(key))
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts)


def load_file(path: Path) -> tuple[Regimen | Catalogue | None, list[Problem]]:
    """Validate one file: the catalogue if it is named ``drugs.toml``, else a regimen."""
    data, problems = _read(path)
    if data is None:
        return None, problems
    model: type[Regimen] | type[Catalogue] = Catalogue if path.name == CATALOGUE_FILE else Regimen
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, _problems(path, error, data)


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.toml") if p.is_file())


def _cross_check(regimen: Regimen, catalogue: Catalogue, origin: str) -> list[Problem]:
    problems = []
    for phase in regimen.phases:
        for line in phase.drugs:
            if catalogue.get(line.drug) is None:
                problems.append(
                    Problem(origin, f"phases.{phase.id}.drugs.{line.drug}.drug", "is not in the drug catalogue")
                )
    return problems


def validate_paths(paths: Iterable[Path], catalogue: Catalogue | None = None) -> list[Problem]:
    """Every problem in the given files (directories are searched for ``*.toml``)."""
    problems: list[Problem] = []
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(_files(path))
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem(str(path), "(file)", "does not exist"))
    catalogue = catalogue or _shipped_catalogue()
    # Catalogue files first, so a regimen is checked against the catalogue of its own folder.
    files.sort(key=lambda file: file.name != CATALOGUE_FILE)
    seen: dict[tuple[str, str], str] = {}
    for file in files:
        model, found = load_file(file)
        problems.extend(found)
        if isinstance(model, Catalogue):
            catalogue = _merged(catalogue, model)
        elif isinstance(model, Regimen):
            key = (model.id, model.version)
            if key in seen:
                problems.append(Problem(str(file), "id", f"{model.id} {model.version} is also defined in {seen[key]}"))
            seen[key] = str(file)
            problems.extend(_cross_check(model, catalogue, str(file)))
    return problems


def _merged(base: Catalogue, site: Catalogue) -> Catalogue:
    """The base catalogue with the site's drugs added or replaced by id."""
    site_ids = {drug.id for drug in site.drugs}
    drugs = [drug for drug in base.drugs if drug.id not in site_ids] + list(site.drugs)
    return Catalogue(schema_version=1, drugs=drugs)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _shipped_catalogue() -> Catalogue:
    model, problems = load_file(shipped_directory() / CATALOGUE_FILE)
    if not isinstance(model, Catalogue):
        raise RuntimeError("the shipped drug catalogue is invalid: " + "; ".join(p.one_line() for p in problems))
    return model


def load_library(site_directory: Path | None = None) -> Library:
    """The shipped library plus the site's files; invalid files are left out and reported."""
    if site_directory is None and os.environ.get(SITE_ENVIRONMENT_VARIABLE):
        site_directory = Path(os.environ[SITE_ENVIRONMENT_VARIABLE])
    if site_directory is None:
        site_directory = installed_site_regimens()  # an installed bundle's site/regimens, when there is one
    catalogue = _shipped_catalogue()
    problems: list[Problem] = []
    directories = [shipped_directory()] + ([site_directory] if site_directory is not None else [])
    if site_directory is not None and not site_directory.is_dir():
        problems.append(Problem(str(site_directory), "(directory)", "does not exist"))
        directories = directories[:1]
    site_catalogue = site_directory / CATALOGUE_FILE if site_directory is not None else None
    if site_catalogue is not None and site_catalogue.is_file():
        model, found = load_file(site_catalogue)
        problems.extend(found)
        if isinstance(model, Catalogue):
            catalogue = _merged(catalogue, model)
    regimens: dict[str, Regimen] = {}
    versions: dict[tuple[str, str], Regimen] = {}
    origins: dict[tuple[str, str], str] = {}
    for directory in directories:
        site = directory != directories[0]
        here: dict[tuple[str, str], str] = {}
        best_here: dict[str, Regimen] = {}
        for file in _files(directory):
            if file.name == CATALOGUE_FILE:
                continue
            model, found = load_file(file)
            problems.extend(found)
            if not isinstance(model, Regimen):
                continue
            key = (model.id, model.version)
            if key in here:
                problems.append(
                    Problem(str(file), "version", f"{model.id} {model.version} is also defined in {here[key]}")
                )
                continue
            if site and key in versions and versions[key] != model:
                # A pinned plan must never see its version change content: a changed regimen needs a new version.
                problems.append(
                    Problem(
                        str(file),
                        "version",
                        f"{model.id} {model.version} differs from the shipped file of the same "
                        "version; give the site's change a new version",
                    )
                )
                continue
            cross = _cross_check(model, catalogue, str(file))
            if cross:
                problems.extend(cross)
                continue
            here[key] = str(file)
            versions[key] = model
            origins[key] = ("site: " if site else "shipped: ") + file.name
            best = best_here.get(model.id)
            if best is None or _version_key(model.version) > _version_key(best.version):
                best_here[model.id] = model
        # Within a directory the highest version is current; the site directory comes last and overrides by id.
        regimens.update(best_here)
    return Library(regimens, versions, catalogue, origins, tuple(problems))
