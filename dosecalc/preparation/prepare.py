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

from typing import Any

from dosecalc.derivation import Derivation, Input, Severity
from dosecalc.display import format_number, format_quantity
from dosecalc.preparation.infusion import (
    DiluentBag,
    parse_duration,
    solution_text,
)
from dosecalc.preparation.model import DEFAULT_PREPARATION, VIAL_RULE, Container, PreparationSettings, PreparedDose
from dosecalc.preparation.steps import (
    _Builder,
    _concentration,
    _mg,
    _proposed_bag,
    _pump,
    _range_check,
    _rate,
    _requirements,
    _vial_steps,
)
from dosecalc.preparation.vials import VialSelection, presentations, select_vials
from dosecalc.regimen.model import Drug, Route
from dosecalc.units import (
    CONCENTRATION,
    HOUR,
    INFUSION_DURATION,
    MG_PER_ML,
    MILLIGRAM,
    make_quantity,
    parse_quantity,
)

__all__ = ["prepare", "prepare_line"]


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
        b.flag(
            "preparation.oral",
            Severity.INFO,
            f"{drug.display} is taken by mouth: dispensed, nothing to prepare",
            **drug.flag_params,
        )
        return _result(drug, dose, route, Container.NONE, b, title, source, days=days)
    options = presentations(drug.strengths)
    if not options:
        b.flag(
            "preparation.no_strength",
            Severity.BLOCK,
            f"{drug.display}: no vial strength configured; the site formulary must add one",
            **drug.flag_params,
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
            **drug.flag_params,
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
            **drug.flag_params,
            diluent=diluent.solution.value,
            note=prep.diluents.note or "",
            allowed=", ".join(s.value for s in allowed),
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
                **drug.flag_params,
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
                **drug.flag_params,
                duration=duration,
                use_within=use_within,
                storage=storage,
            )
    else:
        b.flag(
            "preparation.stability_not_configured",
            Severity.WARNING,
            f"{drug.display}: no use-within time after preparation in the catalogue; the label shows none",
            **drug.flag_params,
        )
    if unconfirmed:
        b.flag(
            "preparation.unconfirmed",
            Severity.WARNING,
            f"{drug.display}: not confirmed against the product label: {', '.join(unconfirmed)}",
            **drug.flag_params,
            groups=", ".join(unconfirmed),
        )
    if vials.kept.magnitude > 0:
        b.flag(
            "preparation.multi_dose_remainder",
            Severity.INFO,
            f"{format_quantity(vials.kept, 2)} remain in an opened multi-dose vial: label it and keep it only "
            "within its in-use time",
            **drug.flag_params,
            kept=vials.kept,
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
