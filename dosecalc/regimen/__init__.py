"""Regimens as governed, validated data: the file model, the loader and whole-order computation."""
