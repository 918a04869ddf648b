"""Test-wide setup. Qt must run offscreen; this is set before anything imports Qt."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite never reads or writes the developer's own site settings: defaults unless a test says otherwise.
os.environ.setdefault("DOSECALC_SITE_SETTINGS", os.path.join(tempfile.mkdtemp(prefix="dosecalc-site-"), "site.json"))
# Interface language: English unless a test chooses one, and never the developer's saved choice (QSettings
# lives under XDG_CONFIG_HOME on Linux).
os.environ["LC_ALL"] = "C.UTF-8"
os.environ["LANGUAGE"] = "en"
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="dosecalc-config-"))
