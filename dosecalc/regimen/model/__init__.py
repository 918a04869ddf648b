"""Regimen and drug-catalogue files as validated, frozen models (schema version 1).

Regimens are data (conventions §5): TOML files under ``regimens/``, read with
the standard library and validated here. Quantities are written as text
(``"75 mg/m**2"``, ``"45 Gy"``) and their dimension is checked at load, not at
use. Unknown keys are errors: a misspelt key must never fall back to a default.

A value taken from memory rather than from the primary source is marked
``confirmed = false`` (with a ``note``); the mark travels into every dose line
computed from it, so the screen, the printout and the CLI show it.
"""

from __future__ import annotations

from dosecalc.regimen.model.catalogue import (
    Administration,
    Catalogue,
    ConcentrationRange,
    CumulativeLimit,
    Diluents,
    Drug,
    Preparation,
    Reconstitution,
    Solution,
    Stability,
    Strength,
)
from dosecalc.regimen.model.fields import SCHEMA_VERSION, BasisKind, Route, Source, Status, Text
from dosecalc.regimen.model.regimen import (
    ChoiceGroup,
    ChoiceOption,
    Dose,
    DrugLine,
    Duration,
    LocalIntervention,
    Phase,
    PhaseStart,
    Radiotherapy,
    Regimen,
    WeightRule,
)

__all__ = [
    "SCHEMA_VERSION",
    "Administration",
    "BasisKind",
    "Catalogue",
    "ChoiceGroup",
    "ChoiceOption",
    "ConcentrationRange",
    "CumulativeLimit",
    "Diluents",
    "Dose",
    "Drug",
    "DrugLine",
    "Duration",
    "LocalIntervention",
    "Phase",
    "PhaseStart",
    "Preparation",
    "Radiotherapy",
    "Reconstitution",
    "Regimen",
    "Route",
    "Solution",
    "Source",
    "Stability",
    "Status",
    "Strength",
    "Text",
    "WeightRule",
]
