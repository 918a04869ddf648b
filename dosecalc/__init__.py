"""DoseCalc calculation core: units, patient inputs, dose formulas and their derivations.

A pure core: it never imports Qt or the ``ui`` package (an import-linter
contract and a test enforce it).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
