"""Test-wide setup. Qt must run offscreen; this is set before anything imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
