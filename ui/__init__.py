"""The DoseCalc workstation (PySide6). Everything it shows comes from :mod:`dosecalc`.

A placeholder until the workstation issue: the package exists so that the
layering contract (``ui`` → ``dosecalc``, never back) is checked from the start.
"""
