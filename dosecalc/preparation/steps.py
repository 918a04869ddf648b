"""The steps of a preparation, each written into the derivation: vials, concentration, bag, rate, pump, checks."""

from __future__ import annotations

from typing import Any

from dosecalc.derivation import Flag, Input, Severity, Step
from dosecalc.display import format_number, format_quantity
from dosecalc.errors import InputError, UnitError
from dosecalc.preparation.infusion import (
    DiluentBag,
    check_rate,
    final_concentration,
    infusion_rate,
    programmed_rate,
    solution_text,
    volume_to_draw,
)
from dosecalc.preparation.model import Container, PreparationSettings
from dosecalc.preparation.vials import VialSelection
from dosecalc.regimen.model import Drug, Route, Solution
from dosecalc.units import (
    HOUR,
    MG_PER_ML,
    MILLIGRAM,
    MILLILITRE,
    ML_PER_HOUR,
    make_quantity,
)

__all__: list[str] = []


_CONCENTRATION_RULE = "dose ÷ (bag volume + drug volume): the drug is added to the nominal bag volume; overfill ignored"


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
                **drug.flag_params,
                drawn=drawn,
                device=device,
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
            **drug.flag_params,
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
            **drug.flag_params,
            concentration=concentration,
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
            **drug.flag_params,
            fitting=", ".join(format_quantity(s) for s in fitting) if container is Container.BAG else "",
            concentration=concentration,
            below=where == "below",
            low=low,
            high=high,
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
