"""Where an installed DoseCalc keeps the ward's own files: the ``site`` folder beside the programs.

The ward PC installers (packaging/) put the bundled programs in one folder (``C:\\Program Files\\DoseCalc``,
``/opt/dosecalc``) with a ``site`` folder beside them, writable only by administrators:

- ``site/site.json``: the site settings (closure country, rounding, contact number, database URL);
- ``site/regimens/``: the site's regimen files, which add to or override the shipped library by id.

They are the defaults of a bundled program only; ``DOSECALC_SITE_SETTINGS`` and
``DOSECALC_SITE_REGIMENS`` (and ``--site-regimens``) still override them. A program run from source or
from a Python environment has no installation folder, so its defaults stay as before (the user's
configuration folder, no site regimens).

>>> installation_folder(frozen=False, executable="/opt/dosecalc/dosecalc-app") is None
True
>>> installation_folder(frozen=True, executable="/opt/dosecalc/dosecalc-app").as_posix()
'/opt/dosecalc'
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["SITE_FOLDER", "installation_folder", "installed_site_regimens", "installed_site_settings"]

#: The folder beside the programs that holds the ward's own files.
SITE_FOLDER = "site"


def installation_folder(*, frozen: bool | None = None, executable: str | None = None) -> Path | None:
    """The folder of the bundled programs (symbolic links followed); None when not run from a bundle."""
    if not (getattr(sys, "frozen", False) if frozen is None else frozen):
        return None
    return Path(executable or sys.executable).resolve().parent


def _site_item(name: str) -> Path | None:
    folder = installation_folder()
    if folder is None or not (folder / SITE_FOLDER).is_dir():
        return None
    return folder / SITE_FOLDER / name


def installed_site_settings() -> Path | None:
    """``site/site.json`` beside the bundled programs, when they have a site folder (the file may be absent)."""
    return _site_item("site.json")


def installed_site_regimens() -> Path | None:
    """``site/regimens`` beside the bundled programs, when that folder exists."""
    path = _site_item("regimens")
    return path if path is not None and path.is_dir() else None
