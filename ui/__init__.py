"""The DoseCalc workstation (PySide6). Everything it shows comes from :mod:`dosecalc`.

``ui`` only presents and collects: every change goes through :mod:`ui.operations`, and the layering
contract (``ui`` → ``dosecalc``, never back) is checked by import-linter.
"""
