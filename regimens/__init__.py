"""The shipped regimen library: data only (TOML files), read by :mod:`dosecalc.regimen.loader`.

This file exists so that the folder is a package that ``importlib.resources``
finds in a source checkout, an installed wheel and a frozen app alike.
"""
