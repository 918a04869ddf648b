"""One dose made ready to give: vials, volume to draw, bag or pump, final concentration, rate, expiry.

:func:`prepare` takes a drug from the catalogue and a final dose in mg; :func:`prepare_line` takes a
computed order line (its final dose, route and infusion hours). Every figure is a pint quantity and is
written into the derivation as it is computed; every problem is a flag with a stable code:

- a final concentration outside the catalogue's stable range BLOCKS, naming the bag sizes that fit;
- so does a missing range, a diluent the drug must not go in, a missing duration, an infusion longer
  than the prepared product keeps, and a rate whose rate × duration is not the volume in the container;
- a catalogue value not confirmed against the label is a WARNING listing what is unconfirmed.

A line longer than 24 hours goes in an ambulatory pump (one device for the whole infusion); a line of
a drug that may be pushed undiluted, and has no duration, is a bolus from a syringe; an oral line is
dispensed, not prepared, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from dosecalc.derivation import Derivation, Flag, Input, Severity, Step
from dosecalc.display import format_number, format_quantity
from dosecalc.errors import InputError, UnitError
from dosecalc.preparation.infusion import (
    RATE_TOLERANCE,
    DiluentBag,
    check_rate,
    final_concentration,
    infusion_rate,
    parse_duration,
    parse_volume,
    programmed_rate,
    solution_text,
    volume_to_draw,
)
from dosecalc.preparation.vials import VialSelection, presentations, select_vials
from dosecalc.regimen.model import Drug, Route, Solution
from dosecalc.units import (
    CONCENTRATION,
    HOUR,
    INFUSION_DURATION,
    MG_PER_ML,
    MILLIGRAM,
    MILLILITRE,
    ML_PER_HOUR,
    make_quantity,
    parse_quantity,
)

__all__ = [
    "DEFAULT_PREPARATION",
    "VIAL_RULE",
    "Container",
    "PreparationSettings",
    "PreparedDose",
    "prepare",
    "prepare_line",
]

VIAL_RULE = (
    "cover the dose; leave at most one smallest vial's worth; then fewest vials, least remainder, fewer "
    "presentations, larger vials"
)
_CONCENTRATION_RULE = "dose ÷ (bag volume + drug volume): the drug is added to the nominal bag volume; overfill ignored"


class Container(StrEnum):
    BAG = "infusion bag"
    PUMP = "ambulatory pump"
    SYRINGE = "syringe (undiluted bolus)"
    NONE = "none: dispensed, not prepared"


@dataclass(frozen=True, slots=True)
class PreparationSettings:
    """The site's bag sizes (mL, ascending) and ambulatory pump rates (mL/h, in order of preference)."""

    bag_sizes: tuple[Any, ...]
    pump_rates: tuple[Any, ...]
    pump_beyond_hours: float = 24.0
    rate_tolerance: Decimal = RATE_TOLERANCE

    @classmethod
    def parse(cls, bag_sizes: str, pump_rates: str) -> PreparationSettings:
        """From the site's text, e.g. ``"100 mL, 250 mL, 500 mL"`` and ``"5 mL/h"``.

        >>> [q.magnitude for q in PreparationSettings.parse("500 mL, 100 mL", "5 mL/h").bag_sizes]
        [100.0, 500.0]
        """
        from dosecalc.preparation.infusion import parse_rate

        bags = [parse_volume(part, "bag-sizes") for part in bag_sizes.split(",") if part.strip()]
        rates = [parse_rate(part, "pump-rates") for part in pump_rates.split(",") if part.strip()]
        if not bags:
            raise InputError("bag-sizes", bag_sizes, "lists no bag", expected="e.g. '100 mL, 250 mL, 500 mL'")
        return cls(tuple(sorted(bags, key=lambda q: q.magnitude)), tuple(rates))


DEFAULT_PREPARATION = PreparationSettings.parse("50 mL, 100 mL, 250 mL, 500 mL, 1000 mL", "5 mL/h, 2 mL/h")


@dataclass(frozen=True, slots=True)
class PreparedDose:
    """The preparation of one dose, with its derivation (whose flags are the warnings)."""

    drug: Drug
    dose: Any  # mg
    route: Route
    container: Container
    vials: VialSelection | None
    volume_to_draw: Any  # mL, or None
    diluent: DiluentBag | None
    total_volume: Any  # mL in the bag, device or syringe
    final_concentration: Any  # mg/mL
    stable_range: tuple[Any, Any] | None
    in_range: bool | None  # None: not checked (no range, or an undiluted bolus)
    fitting_bags: tuple[Any, ...]
    duration: Any  # h
    rate: Any  # mL/h as programmed
    requirements: tuple[str, ...]
    use_within: Any  # h
    storage: str | None
    unconfirmed: tuple[str, ...]
    derivation: Derivation
    days: int = 1
    notes: tuple[str, ...] = field(default=())

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.derivation.flags

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.flags)

    @property
    def needed(self) -> bool:
        """False for an oral drug: nothing is prepared."""
        return self.container is not Container.NONE

    def expiry(self, prepared_at: dt.datetime) -> dt.datetime | None:
        """When the prepared product must have been used, from the catalogue's use-within time."""
        if self.use_within is None:
            return None
        return prepared_at + dt.timedelta(hours=float(self.use_within.m_as(HOUR)))


class _Builder:
    """Collects the derivation while :func:`prepare` works."""

    def __init__(self) -> None:
        self.inputs: list[Input] = []
        self.steps: list[Step] = []
        self.flags: list[Flag] = []
        self.policies: list[tuple[str, str]] = []

    def step(self, label: str, formula: str, substitution: str, args: tuple[Any, ...], result: Any, d: int = 2) -> None:
        self.steps.append(Step(label, formula, substitution, args, result, d))

    def flag(self, code: str, severity: Severity, message: str, **params: Any) -> None:
        self.flags.append(Flag(code, severity, message, params))


def _mg(dose: Any) -> float:
    if not hasattr(dose, "dimensionality") or dose.dimensionality != MILLIGRAM.dimensionality:
        shown = format_quantity(dose) if hasattr(dose, "dimensionality") else repr(dose)
        raise UnitError(
            "dose",
            shown,
            "is not a final dose in mg",
            expected="the final dose in mg, e.g. '300 mg'",
            code="unit.dimension",
        )
    value = float(dose.m_as(MILLIGRAM))
    if not value > 0:
        raise InputError("dose", format_quantity(dose), "must be greater than zero", expected="a dose in mg")
    return value


def prepare(
    drug: Drug,
    dose: Any,
    *,
    route: Route = Route.INTRAVENOUS,
    diluent: DiluentBag | None = None,
    duration: Any = None,
    duration_source: str = "command line",
    pump_rate: Any = None,
    settings: PreparationSettings = DEFAULT_PREPARATION,
    days: int = 1,
    dose_source: str = "given",
    source: str | None = None,
) -> PreparedDose:
    """The preparation of ``dose`` (mg) of ``drug``; see the module for what blocks.

    Worked example (hand-worked): paclitaxel 300 mg = one 300 mg/50 mL vial, 50 mL drawn, into
    500 mL sodium chloride 0.9 %: 300 mg ÷ 550 mL = 0.545 mg/mL (stable range 0.3–1.2 mg/mL);
    over 3 h: 550 mL ÷ 3 h = 183.3 mL/h.

    >>> from dosecalc.regimen.loader import load_library
    >>> from dosecalc.preparation.infusion import parse_diluent
    >>> from dosecalc.units import Quantity
    >>> paclitaxel = load_library().catalogue.get("paclitaxel")
    >>> made = prepare(paclitaxel, Quantity(300.0, "mg"), diluent=parse_diluent("500 mL sodium chloride 0.9%"))
    >>> made.vials.text(), format_quantity(made.final_concentration, 3), made.in_range, format_quantity(made.rate)
    ('1 × 300 mg/50 mL vial', '0.545 mg/mL', True, '183.3 mL/h')
    """
    dose_mg = _mg(dose)
    dose = make_quantity(dose_mg, MILLIGRAM)
    b = _Builder()
    b.inputs.append(Input("final dose", dose, dose_source))
    if drug.oral:
        route = Route.ORAL
    title = f"Preparation: {drug.display} {format_quantity(dose, 1)} {route.value}"
    if route is Route.ORAL:
        b.flag("preparation.oral", Severity.INFO, f"{drug.display} is taken by mouth: dispensed, nothing to prepare")
        return _result(drug, dose, route, Container.NONE, b, title, source, days=days)
    options = presentations(drug.strengths)
    if not options:
        b.flag(
            "preparation.no_strength",
            Severity.BLOCK,
            f"{drug.display}: no vial strength configured; the site formulary must add one",
            drug=drug.id,
        )
        return _result(drug, dose, route, Container.BAG, b, title, source, days=days)
    vials = select_vials(dose_mg, options)
    b.policies.append(("Vial choice", VIAL_RULE))
    _vial_steps(b, vials, dose)
    drawn = vials.volume
    unconfirmed = [] if all(use.presentation.confirmed for use in vials.uses) else ["strengths"]
    prep = drug.preparation
    if prep is None:
        b.flag(
            "preparation.no_data",
            Severity.BLOCK,
            f"{drug.display}: no preparation data (diluent, concentration range, duration) in the catalogue",
            drug=drug.id,
        )
        return _result(drug, dose, route, Container.BAG, b, title, source, vials=vials, drawn=drawn, days=days)
    unconfirmed += list(prep.unconfirmed)
    if any(s.reconstitution is not None and not s.reconstitution.confirmed for s in drug.strengths):
        unconfirmed.append("reconstitution")
    if duration is None and prep.administration.duration is not None:
        duration, duration_source = parse_duration(prep.administration.duration), "catalogue (usual duration)"
    stable = None
    if prep.concentration is not None:
        stable = (
            parse_quantity(prep.concentration.min, "min", CONCENTRATION).to(MG_PER_ML),
            parse_quantity(prep.concentration.max, "max", CONCENTRATION).to(MG_PER_ML),
        )
    allowed = list(prep.diluents.allowed)
    if diluent is not None and diluent.solution not in allowed:
        b.flag(
            "preparation.diluent_not_allowed",
            Severity.BLOCK,
            f"{drug.display} must not be diluted in {solution_text(diluent.solution)}"
            + (f" ({prep.diluents.note})" if prep.diluents.note else "")
            + f"; allowed: {', '.join(solution_text(s) for s in allowed)}",
            drug=drug.id,
        )
    solution = diluent.solution if diluent is not None else allowed[0]

    if duration is None:
        if prep.administration.bolus and diluent is None and pump_rate is None:
            container = Container.SYRINGE
        else:
            container = Container.BAG
            b.flag(
                "preparation.no_duration",
                Severity.BLOCK,
                f"{drug.display}: no infusion duration in the regimen line or the catalogue; give one",
                drug=drug.id,
            )
    else:
        b.inputs.append(Input("infusion duration", duration, duration_source))
        beyond = float(duration.m_as(HOUR)) > settings.pump_beyond_hours
        container = Container.PUMP if beyond or pump_rate is not None else Container.BAG
    b.policies.append(
        (
            "Container",
            f"{container.value}: an ambulatory pump for a line longer than "
            f"{format_number(settings.pump_beyond_hours)} h, an undiluted bolus only where the label allows it "
            "and the line has no duration, else an infusion bag",
        )
    )

    total, bag, rate, fitting = None, diluent, None, ()
    if container is Container.SYRINGE:
        total = drawn
        b.step("Undiluted bolus", "volume drawn", "", (), drawn)
    elif container is Container.PUMP:
        total, bag, rate = _pump(b, drug, dose, drawn, solution, diluent, duration, pump_rate, stable, settings)
    else:
        bag = bag or _proposed_bag(b, dose, drawn, solution, stable, settings)
        total = bag.volume + drawn
        b.step("Total volume", "bag volume + drug volume", "{0} + {1}", (bag.volume, drawn), total)
        if duration is not None:
            rate = _rate(b, total, duration, settings)
    concentration = None if total is None else _concentration(b, dose, total, container)
    in_range = None
    if concentration is not None and container is not Container.SYRINGE:
        in_range, fitting = _range_check(b, drug, dose, drawn, concentration, stable, settings, container)
    elif container is Container.SYRINGE:
        b.step("Stable range", "not applied", "", (), "undiluted bolus from the vial")

    requirements = _requirements(prep.administration, route, solution, container)
    use_within, storage = None, None
    if prep.stability is not None:
        use_within, storage = parse_duration(prep.stability.use_within, "use_within"), prep.stability.storage
        b.step("Use within", "catalogue stability", "", (), f"{format_quantity(use_within)} of preparation, {storage}")
        if duration is not None and duration.m_as(HOUR) > use_within.m_as(HOUR):
            b.flag(
                "preparation.outlasts_stability",
                Severity.BLOCK,
                f"{drug.display}: the infusion ({format_quantity(duration)}) lasts longer than the prepared "
                f"product keeps ({format_quantity(use_within)}, {storage}); split it",
                drug=drug.id,
            )
    else:
        b.flag(
            "preparation.stability_not_configured",
            Severity.WARNING,
            f"{drug.display}: no use-within time after preparation in the catalogue; the label shows none",
            drug=drug.id,
        )
    if unconfirmed:
        b.flag(
            "preparation.unconfirmed",
            Severity.WARNING,
            f"{drug.display}: not confirmed against the product label: {', '.join(unconfirmed)}",
            drug=drug.id,
            groups=", ".join(unconfirmed),
        )
    if vials.kept.magnitude > 0:
        b.flag(
            "preparation.multi_dose_remainder",
            Severity.INFO,
            f"{format_quantity(vials.kept, 2)} remain in an opened multi-dose vial: label it and keep it only "
            "within its in-use time",
            drug=drug.id,
        )
    if days > 1:
        b.step("Preparations", f"one per day, on {days} days", "", (), f"{days} {container.value}s")
    return PreparedDose(
        drug,
        dose,
        route,
        container,
        vials,
        drawn,
        bag,
        total,
        concentration,
        stable,
        in_range,
        fitting,
        duration,
        rate,
        requirements,
        use_within,
        storage,
        tuple(unconfirmed),
        _derivation(b, title, source, prep.diluents.source),
        days,
    )


def _derivation(b: _Builder, title: str, source: str | None, catalogue: str | None = None) -> Derivation:
    text = " · ".join(part for part in (source, f"catalogue: {catalogue}" if catalogue else None) if part)
    return Derivation(
        title, tuple(b.inputs), tuple(b.policies), tuple(b.steps), tuple(dict.fromkeys(b.flags)), text or None
    )


def _result(
    drug: Drug,
    dose: Any,
    route: Route,
    container: Container,
    b: _Builder,
    title: str,
    source: str | None,
    *,
    vials: VialSelection | None = None,
    drawn: Any = None,
    days: int = 1,
) -> PreparedDose:
    return PreparedDose(
        drug,
        dose,
        route,
        container,
        vials,
        drawn,
        None,
        None,
        None,
        None,
        None,
        (),
        None,
        None,
        (),
        None,
        None,
        (),
        _derivation(b, title, source),
        days,
    )


def _vial_steps(b: _Builder, vials: VialSelection, dose: Any) -> None:
    b.step("Vials", "fewest vials leaving at most one smallest vial", "", (), vials.text())
    for use in vials.uses:
        conc = make_quantity(use.presentation.concentration_mg_per_ml, MG_PER_ML)
        drawn_mg = make_quantity(use.drawn_mg, MILLIGRAM)
        volume = volume_to_draw(drawn_mg, conc)
        b.step(
            f"Draw from {use.count} × {use.presentation.text}",
            "dose ÷ concentration",
            "{0} ÷ {1}",
            (drawn_mg, conc),
            volume,
        )
    if len(vials.uses) > 1:
        b.step("Volume to draw", "sum of the draws", "", (), vials.volume)
    b.step(
        "Waste",
        "opened − dose (single-use vials)",
        "{0} − {1}",
        (make_quantity(vials.opened_mg, MILLIGRAM), dose),
        vials.waste,
    )
    if vials.kept.magnitude > 0:
        b.step("Kept in a multi-dose vial", "opened − dose", "", (), vials.kept)


def _concentration(b: _Builder, dose: Any, total: Any, container: Container) -> Any:
    value = make_quantity(float((dose / total).m_as(MG_PER_ML)), MG_PER_ML)
    b.step(
        "Final concentration",
        "dose ÷ total volume" if container is not Container.BAG else _CONCENTRATION_RULE,
        "{0} ÷ {1}",
        (dose, total),
        value,
        3,
    )
    return value


def _in(concentration: Any, stable: tuple[Any, Any]) -> bool:
    value = float(concentration.m_as(MG_PER_ML))
    return float(stable[0].magnitude) <= value <= float(stable[1].magnitude)


def _proposed_bag(
    b: _Builder,
    dose: Any,
    drawn: Any,
    solution: Solution,
    stable: tuple[Any, Any] | None,
    settings: PreparationSettings,
) -> DiluentBag:
    """No bag given: the smallest of the site's bags that keeps the concentration in range."""
    for size in settings.bag_sizes:
        if stable is None or _in(final_concentration(dose, size, drawn), stable):
            bag = DiluentBag(size, solution)
            b.inputs.append(Input("diluent", bag.text(), "proposed: the smallest site bag in the stable range"))
            return bag
    bag = DiluentBag(settings.bag_sizes[-1], solution)
    b.inputs.append(Input("diluent", bag.text(), "proposed: the largest site bag (none is in the stable range)"))
    return bag


def _rate(b: _Builder, total: Any, duration: Any, settings: PreparationSettings) -> Any:
    exact = infusion_rate(total, duration)
    rate = programmed_rate(exact)
    b.policies.append(
        (
            "Rate",
            "total volume ÷ duration, programmed to 0.1 mL/h; rate × duration must be the volume "
            f"within {format_number(settings.rate_tolerance * 100)} % (priming not counted)",
        )
    )
    b.step("Rate", "total volume ÷ duration", "{0} ÷ {1}", (total, duration), exact, 3)
    b.step("Rate as programmed", "to 0.1 mL/h", "", (), rate, 1)
    check = check_rate(rate, duration, total, settings.rate_tolerance)
    infused = make_quantity(float((rate * duration).m_as(MILLILITRE)), MILLILITRE)
    b.step(
        "Check: rate × duration",
        f"must be {format_quantity(total, 1)} within {format_number(settings.rate_tolerance * 100)} %",
        "{0} × {1}",
        (rate, duration),
        infused,
        1,
    )
    if check is not None:
        b.flags.append(check)
    return rate


def _pump(
    b: _Builder,
    drug: Drug,
    dose: Any,
    drawn: Any,
    solution: Solution,
    diluent: DiluentBag | None,
    duration: Any,
    pump_rate: Any,
    stable: tuple[Any, Any] | None,
    settings: PreparationSettings,
) -> tuple[Any, DiluentBag | None, Any]:
    """An ambulatory pump: fixed-rate (elastomeric) device filled to rate × hours, or diluent + drug."""
    hours = float(duration.m_as(HOUR))
    if pump_rate is None and diluent is None:
        for candidate in settings.pump_rates:
            volume = make_quantity(float(candidate.m_as(ML_PER_HOUR)) * hours, MILLILITRE)
            if volume.magnitude >= drawn.magnitude and (stable is None or _in(dose / volume, stable)):
                pump_rate = candidate
                b.inputs.append(
                    Input("pump", f"{format_quantity(candidate)} device", "proposed: first site pump that fits")
                )
                break
    if pump_rate is not None:
        device = make_quantity(float(pump_rate.m_as(ML_PER_HOUR)) * hours, MILLILITRE)
        b.step("Device volume", "nominal rate × duration", "{0} × {1}", (pump_rate, duration), device, 1)
        rest = float(device.m_as(MILLILITRE)) - float(drawn.m_as(MILLILITRE))
        if rest < 0:
            b.flag(
                "preparation.pump_too_small",
                Severity.BLOCK,
                f"{drug.display}: the drug volume {format_quantity(drawn, 1)} is more than the device holds "
                f"({format_quantity(device, 1)}); choose a faster device",
                drug=drug.id,
            )
            return device, None, None
        bag = DiluentBag(make_quantity(rest, MILLILITRE), solution)
        b.step("Diluent to add", "device volume − drug volume", "{0} − {1}", (device, drawn), bag.volume, 1)
    elif diluent is not None:
        bag = diluent
        device = diluent.volume + drawn
        b.step("Device volume", "diluent + drug volume", "{0} + {1}", (diluent.volume, drawn), device, 1)
    else:
        b.flag(
            "preparation.no_pump_fits",
            Severity.BLOCK,
            f"{drug.display}: none of the site's pumps holds the dose in range; give the diluent or the pump rate",
            drug=drug.id,
        )
        return None, None, None
    return device, bag, _rate(b, device, duration, settings)


def _range_check(
    b: _Builder,
    drug: Drug,
    dose: Any,
    drawn: Any,
    concentration: Any,
    stable: tuple[Any, Any] | None,
    settings: PreparationSettings,
    container: Container,
) -> tuple[bool | None, tuple[Any, ...]]:
    if stable is None:
        b.flag(
            "preparation.range_not_configured",
            Severity.BLOCK,
            f"{drug.display}: no stable final-concentration range in the catalogue; the concentration "
            f"{format_quantity(concentration, 3)} cannot be checked",
            drug=drug.id,
        )
        return None, ()
    low, high = stable
    inside = _in(concentration, stable)
    fitting = tuple(size for size in settings.bag_sizes if _in(final_concentration(dose, size, drawn), stable))
    b.step(
        "In the stable range",
        f"{format_quantity(low, 3)} to {format_quantity(high, 3)}",
        "",
        (),
        "yes" if inside else "NO",
    )
    if not inside:
        where = "below" if concentration.magnitude < low.magnitude else "above"
        fits = (
            f"bags that fit: {', '.join(format_quantity(s) for s in fitting)}"
            if fitting and container is Container.BAG
            else "no site bag size fits: split the dose or change the diluent volume"
        )
        b.flag(
            "preparation.out_of_range",
            Severity.BLOCK,
            f"{drug.display}: final concentration {format_quantity(concentration, 3)} is {where} the stable range "
            f"{format_quantity(low, 3)}–{format_quantity(high, 3)}; {fits}",
            drug=drug.id,
            fitting=", ".join(format_quantity(s) for s in fitting),
        )
    return inside, fitting


def _requirements(administration: Any, route: Route, solution: Solution, container: Container) -> tuple[str, ...]:
    out = [] if container is Container.SYRINGE else [f"dilute in {solution_text(solution)}"]
    if administration.container and container is Container.BAG:
        out.append(f"container: {administration.container}")
    if administration.administration_set:
        out.append(f"set: {administration.administration_set}")
    if administration.filter:
        out.append(f"filter: {administration.filter}")
    if administration.protect_from_light:
        out.append("protect from light")
    out.append(f"for {route.value} use only")
    return tuple(out)


def prepare_line(line: Any, settings: PreparationSettings = DEFAULT_PREPARATION, **given: Any) -> PreparedDose:
    """The preparation of one line of a computed order (:class:`dosecalc.regimen.order.OrderedLine`).

    The dose is the line's final dose per administration; the duration the line's infusion hours.
    ``given`` passes a diluent or pump rate chosen by the pharmacist through to :func:`prepare`.
    """
    infusion = line.line.infusion
    duration = parse_quantity(infusion, "infusion", INFUSION_DURATION).to(HOUR) if infusion else None
    return prepare(
        line.drug,
        line.result.final,
        route=line.line.route,
        duration=duration,
        duration_source="regimen line",
        settings=settings,
        days=len(line.days),
        dose_source=f"order line {line.line.order} (DOSE)",
        source=line.derivation.source,
        **given,
    )
