"""``python -m dosecalc`` runs the same command line and exits with its status."""

from __future__ import annotations

import runpy
import sys

import pytest


def test_module_entry_point_exits_with_the_cli_status(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["dosecalc", "bsa", "--height", "170 cm", "--weight", "65 kg", "--json"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("dosecalc", run_name="__main__")
    assert caught.value.code == 0
    assert '"bsa"' in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["dosecalc", "bsa", "--height", "170", "--weight", "65 kg"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("dosecalc", run_name="__main__")
    assert caught.value.code == 2
    assert capsys.readouterr().err.strip() == "height: 170 has no unit; expected a height in cm or m, e.g. '170 cm'"
