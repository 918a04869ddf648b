"""Cumulative totals per drug and per drug class against the catalogue's limits (medication-safety H1-H2)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import pint

from dosecalc.derivation import Flag, Severity
from dosecalc.display import format_number
from dosecalc.errors import DoseCalcError, InputError
from dosecalc.ledger.doses import Administration, Amount, Contribution, DrugTotal, PlannedDose, PriorDose
from dosecalc.ledger.flags import _date, _exceeds, _n, _reached
from dosecalc.ledger.settings import DEFAULT_SETTINGS
from dosecalc.regimen.model import Catalogue, CumulativeLimit, Drug
from dosecalc.units import DOSE_BASIS, MG_PER_M2, MILLIGRAM, magnitude_in, parse_quantity

__all__ = ["COUNTED_STATUSES", "drug_totals"]


#: Administration statuses that count towards a total (medication-safety H2: only what was given).
COUNTED_STATUSES = frozenset({"given", "modified"})

MASS_UNITS = ("mg/m2", "mg")

_UNIT_TEXT = {"mg/m2": "mg/m²", "mg": "mg"}


@lru_cache(maxsize=1024)
def _parse_prior(text: str) -> tuple[str, float]:
    """``("mg/m2", 300.0)`` or ``("mg", 450.0)``; raises InputError for anything else."""
    quantity = parse_quantity(text, "prior-dose", DOSE_BASIS)
    for unit, target in (("mg/m2", MG_PER_M2), ("mg", MILLIGRAM)):
        try:
            value = magnitude_in(quantity, target)
        except pint.DimensionalityError:
            continue
        if not value > 0 or not math.isfinite(value):
            raise InputError("prior-dose", text, "must be greater than zero", expected="e.g. '300 mg/m**2'")
        return unit, value
    raise InputError(
        "prior-dose", text, "is per kg, which no cumulative total uses", expected="mg/m**2 or mg, e.g. '300 mg/m**2'"
    )


def _prior_text(prior: PriorDose) -> str:
    return f"prior {prior.drug} {prior.total_text} ({prior.source})"


def drug_totals(
    administrations: Iterable[Administration],
    priors: Iterable[PriorDose],
    catalogue: Catalogue,
    *,
    planned: Iterable[PlannedDose] = (),
    warn_fraction: float = DEFAULT_SETTINGS.warn_fraction,
) -> tuple[DrugTotal, ...]:
    """Cumulative totals per drug, and per class with the catalogue's equivalence factors.

    One total for every drug the patient received, declared or has planned, in catalogue order (drugs
    missing from the catalogue last), plus one class total for every catalogue limit whose
    ``equivalents`` name one of them. Only ``given`` and ``modified`` administrations count.

    Worked example, ESC 2022 cardio-oncology guidelines (doi:10.1093/eurheartj/ehac244; clinical-reference
    §5): 300 mg/m² doxorubicin before, then 125 mg/m² epirubicin × 0.8 = 100 mg/m² doxorubicin
    equivalents, 400 mg/m² in all. The anthracyclines here are a test catalogue (the shipped one has none):
    limit 450 mg/m² and ``warn_at`` 400 mg/m², so the warning comes at 80 % of the limit, 360 mg/m², the
    earlier of the two. Epirubicin has no limit of its own here: its own line is shown, not judged.

    >>> import datetime as dt
    >>> anthracycline = {"drug_class": "anthracycline", "zh": "蒽环类"}
    >>> catalogue = Catalogue.model_validate({"schema_version": 1, "drugs": [
    ...     {**anthracycline, "id": "doxorubicin", "generic": "doxorubicin", "display": "DOXOrubicin",
    ...      "cumulative": {"unit": "mg/m2", "warn_at": 400, "limit": 450, "kind": "convention",
    ...                     "counts": "doxorubicin equivalents", "equivalents": {"epirubicin": 0.8},
    ...                     "source": "ESC 2022"}},
    ...     {**anthracycline, "id": "epirubicin", "generic": "epirubicin", "display": "epirubicin"}]})
    >>> given = [Administration("epirubicin", "given", 100.0, dt.date(2026, 10, d), bsa_m2=1.6) for d in (1, 22)]
    >>> held = Administration("epirubicin", "held", 0.0, dt.date(2026, 11, 12), bsa_m2=1.6)
    >>> totals = drug_totals([*given, held], [PriorDose("doxorubicin", "300 mg/m**2", "discharge letter")],
    ...                      catalogue)
    >>> [(t.label, t.mg_per_m2.total, t.status) for t in totals]
    [('doxorubicin equivalents', 400.0, 'warning'), ('epirubicin', 125.0, 'ok')]
    >>> print(totals[0].flags[0].message)
    doxorubicin equivalents 400 mg/m² (epirubicin × 0.8) has reached the warning level of 360 mg/m² (88.9 % ...

    """
    administrations = tuple(administrations)
    priors = tuple(priors)
    planned = tuple(planned)
    by_drug: dict[str, list[Administration]] = {}
    for item in administrations:
        by_drug.setdefault(item.drug, []).append(item)
    priors_by_drug: dict[str, list[PriorDose]] = {}
    for prior in priors:
        priors_by_drug.setdefault(prior.drug, []).append(prior)
    planned_by_drug: dict[str, list[PlannedDose]] = {}
    for dose in planned:
        planned_by_drug.setdefault(dose.drug, []).append(dose)
    present = set(by_drug) | set(priors_by_drug) | set(planned_by_drug)
    if not present:
        return ()
    known = {d.id for d in catalogue.drugs}
    totals: list[DrugTotal] = []
    for drug in catalogue.drugs:
        limit = drug.cumulative
        mass_limit = limit if limit is not None and limit.unit in MASS_UNITS else None
        others = {k: v for k, v in (mass_limit.equivalents if mass_limit else {}).items() if k != drug.id}
        if drug.id in present:
            totals.append(
                _total(
                    drug.id,
                    drug,
                    {drug.id: 1.0},
                    mass_limit,
                    limit,
                    by_drug,
                    priors_by_drug,
                    planned_by_drug,
                    warn_fraction,
                    class_total=False,
                )
            )
        if others and present & set(others):
            members = {drug.id: 1.0, **others}
            totals.append(
                _total(
                    drug.id,
                    drug,
                    members,
                    mass_limit,
                    limit,
                    by_drug,
                    priors_by_drug,
                    planned_by_drug,
                    warn_fraction,
                    class_total=True,
                )
            )
    for drug_id in sorted(present - known):
        totals.append(
            _total(
                drug_id,
                None,
                {drug_id: 1.0},
                None,
                None,
                by_drug,
                priors_by_drug,
                planned_by_drug,
                warn_fraction,
                class_total=False,
            )
        )
    # A drug with equivalents is listed once, as its class total (which contains the drug itself).
    class_ids = {t.drug for t in totals if t.class_total}
    return tuple(t for t in totals if t.class_total or t.drug not in class_ids)


def _total(
    drug_id: str,
    drug: Drug | None,
    members: Mapping[str, float],
    mass_limit: CumulativeLimit | None,
    limit: CumulativeLimit | None,
    by_drug: Mapping[str, Sequence[Administration]],
    priors_by_drug: Mapping[str, Sequence[PriorDose]],
    planned_by_drug: Mapping[str, Sequence[PlannedDose]],
    warn_fraction: float,
    *,
    class_total: bool,
) -> DrugTotal:
    contributions: list[Contribution] = []
    sums = {"mg": [0.0, 0.0], "mg/m2": [0.0, 0.0]}  # unit → [given, prior], after factors
    not_counted: dict[str, list[str]] = {"mg": [], "mg/m2": []}
    not_projected: dict[str, list[str]] = {"mg": [], "mg/m2": []}
    planned_items: list[tuple[PlannedDose, float]] = []
    missing_bsa: list[Administration] = []
    unreadable: list[str] = []
    for member, factor in members.items():
        records = by_drug.get(member, ())
        counted = [a for a in records if a.status in COUNTED_STATUSES]
        held = sum(1 for a in records if a.status == "held")
        given_mg = math.fsum(a.dose_mg for a in counted)
        with_bsa = [a for a in counted if a.bsa_m2 is not None and a.bsa_m2 > 0]
        given_per_m2 = math.fsum(a.dose_mg / a.bsa_m2 for a in with_bsa if a.bsa_m2)
        without = [a for a in counted if a.bsa_m2 is None or not a.bsa_m2 > 0]
        missing_bsa.extend(without)
        not_counted["mg/m2"].extend(_no_bsa_text(a) for a in without)
        sums["mg"][0] += factor * given_mg
        sums["mg/m2"][0] += factor * given_per_m2
        member_priors = tuple(priors_by_drug.get(member, ()))
        for prior in member_priors:
            try:
                unit, value = _parse_prior(prior.total_text)
            except DoseCalcError as error:
                text = f"{_prior_text(prior)}: {error.message}"
                unreadable.append(text)
                for key in not_counted:
                    not_counted[key].append(text)
                continue
            sums[unit][1] += factor * value
            other = "mg" if unit == "mg/m2" else "mg/m2"
            not_counted[other].append(f"{_prior_text(prior)} is declared in {_UNIT_TEXT[unit]}")
        for dose in planned_by_drug.get(member, ()):
            planned_items.append((dose, factor))
        contributions.append(
            Contribution(member, factor, len(counted), held, given_mg, given_per_m2, len(without), member_priors)
        )
    amounts = {}
    next_on = min((d.on for d, _ in planned_items), default=None)
    for mass_unit in MASS_UNITS:
        total_planned = 0.0
        next_day = 0.0
        for dose, factor in planned_items:
            planned_value = dose.in_unit(mass_unit)
            if planned_value is None:
                not_projected[mass_unit].append(
                    f"{dose.drug} on {_date(dose.on)}" + (f" ({dose.label})" if dose.label else "")
                )
                continue
            total_planned += factor * planned_value
            if dose.on == next_on:
                next_day += factor * planned_value
        amounts[mass_unit] = Amount(
            mass_unit,
            sums[mass_unit][0],
            sums[mass_unit][1],
            total_planned,
            next_day,
            next_on,
            tuple(not_counted[mass_unit]),
            tuple(not_projected[mass_unit]),
        )
    limit_unit = mass_limit.unit if mass_limit else None
    name = drug.generic if drug is not None else drug_id
    label = f"{name} equivalents" if class_total else name
    warn_threshold = None
    hard_limit = None
    if mass_limit is not None:
        hard_limit = mass_limit.limit
        warn_threshold = mass_limit.warn_at
        if hard_limit is not None:
            warn_threshold = min(warn_threshold, warn_fraction * hard_limit)
    total = DrugTotal(
        drug_id,
        label,
        drug.drug_class if drug else None,
        class_total,
        limit_unit,
        amounts["mg"],
        amounts["mg/m2"],
        tuple(contributions),
        warn_threshold,
        hard_limit,
        limit,
        (),
    )
    return replace(total, flags=_total_flags(total, drug is not None, members, missing_bsa, unreadable))


def _no_bsa_text(item: Administration) -> str:
    return f"{item.drug} {format_number(item.dose_mg)} mg on {_date(item.given_on)} has no BSA recorded"


def _total_flags(
    total: DrugTotal,
    in_catalogue: bool,
    members: Mapping[str, float],
    missing_bsa: Sequence[Administration],
    unreadable: Sequence[str],
) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    label = total.label
    factors = ", ".join(f"{m} × {format_number(f, 3)}" for m, f in members.items() if f != 1.0)
    params: dict[str, Any] = {"drug": total.drug, "label": label}
    if factors:
        params["factors"] = factors
    if not in_catalogue:
        flags.append(
            Flag(
                "cumulative.not_in_catalogue",
                Severity.INFO,
                f"{label} is not in the drug catalogue: no cumulative limit is known",
                params,
            )
        )
    unit = total.unit
    if unit is None:
        for text in unreadable:
            flags.append(
                Flag("cumulative.prior_not_counted", Severity.INFO, f"{label}: {text}", {**params, "text": text})
            )
        return tuple(flags)
    amount = total.amount
    unit_text = _UNIT_TEXT[unit]
    hard = total.limit is not None
    incomplete = Severity.BLOCK if hard else Severity.WARNING
    if missing_bsa and unit == "mg/m2":
        flags.append(
            Flag(
                "cumulative.bsa_missing",
                incomplete,
                f"{label}: {len(missing_bsa)} administration(s) without a recorded BSA cannot count in "
                f"{unit_text} ({'; '.join(_no_bsa_text(a) for a in missing_bsa)}); record the BSA of "
                "each administration — the total is not guessed",
                {
                    **params,
                    "count": len(missing_bsa),
                    "unit_text": unit_text,
                    "doses": "; ".join(
                        f"{a.drug} {format_number(a.dose_mg)} mg {a.given_on.isoformat()}" for a in missing_bsa
                    ),
                },
            )
        )
    bsa_texts = {_no_bsa_text(a) for a in missing_bsa}
    other = [t for t in amount.not_counted if t not in bsa_texts]
    if other:
        flags.append(
            Flag(
                "cumulative.prior_not_counted",
                incomplete,
                f"{label}: not counted in {unit_text}: {'; '.join(other)}",
                {**params, "count": len(other), "unit_text": unit_text, "text": "; ".join(other)},
            )
        )
    if amount.not_projected:
        flags.append(
            Flag(
                "cumulative.planned_not_projected",
                Severity.WARNING,
                f"{label}: planned doses without a dose in {unit_text}: {'; '.join(amount.not_projected)}",
                {
                    **params,
                    "count": len(amount.not_projected),
                    "unit_text": unit_text,
                    "text": "; ".join(amount.not_projected),
                },
            )
        )
    assert total.cumulative is not None
    assert total.warn_threshold is not None
    limit = total.limit
    warn = total.warn_threshold
    kind = total.cumulative.kind
    base = {
        **params,
        "total": amount.total,
        "unit": unit,
        "unit_text": unit_text,
        "warn_at": warn,
        "limit": limit,
        "kind": kind,
        "source": total.cumulative.source,
    }
    if limit:
        base["percent_of_limit"] = 100 * amount.total / limit
    shown = f"{label} {_n(amount.total)} {unit_text}" + (f" ({factors})" if factors else "")
    source = f" ({kind}: {total.cumulative.source})"
    if limit is not None and _reached(amount.total, limit):
        flags.append(
            Flag(
                "cumulative.limit_reached",
                Severity.BLOCK,
                f"{shown} has reached the limit of {_n(limit)} {unit_text}{source}",
                base,
            )
        )
        return tuple(flags)
    if _reached(amount.total, warn):
        of_limit = f" ({_n(100 * amount.total / limit, 1)} % of the {_n(limit)} {unit_text} limit)" if limit else ""
        flags.append(
            Flag(
                "cumulative.warning",
                Severity.WARNING,
                f"{shown} has reached the warning level of {_n(warn)} {unit_text}{of_limit}{source}",
                base,
            )
        )
    if amount.next and amount.next_on is not None and limit is not None and _exceeds(amount.next_total, limit):
        flags.append(
            Flag(
                "cumulative.next_over_limit",
                Severity.BLOCK,
                f"{shown}: the doses planned on {_date(amount.next_on)} would bring it to "
                f"{_n(amount.next_total)} {unit_text}, past the limit of {_n(limit)} {unit_text}{source}",
                {**base, "next_total": amount.next_total, "next_on": amount.next_on.isoformat()},
            )
        )
    elif limit is not None and _exceeds(amount.projected, limit):
        flags.append(
            Flag(
                "cumulative.projected_over_limit",
                Severity.WARNING,
                f"{shown}: with every planned dose it would reach {_n(amount.projected)} {unit_text}, past the "
                f"limit of {_n(limit)} {unit_text}{source}",
                {**base, "projected": amount.projected},
            )
        )
    elif not _reached(amount.total, warn) and amount.planned and _reached(amount.projected, warn):
        flags.append(
            Flag(
                "cumulative.projected_warning",
                Severity.INFO,
                f"{shown}: with every planned dose it would reach {_n(amount.projected)} {unit_text}, past the "
                f"warning level of {_n(warn)} {unit_text}{source}",
                {**base, "projected": amount.projected},
            )
        )
    return tuple(flags)
