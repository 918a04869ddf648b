"""Test-wide setup. Qt must run offscreen; this is set before anything imports Qt."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite never reads or writes the developer's own site settings: defaults unless a test says otherwise.
os.environ.setdefault("DOSECALC_SITE_SETTINGS", os.path.join(tempfile.mkdtemp(prefix="dosecalc-site-"), "site.json"))
