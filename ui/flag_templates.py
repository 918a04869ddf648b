"""The message templates of the core's flags (context ``CoreFlag`` in the .ts), a table for translators.

Data only: :mod:`ui.flag_text` fills them from each flag's params. The English of each template is the shape
of the core's sentence; English screens show the core's own sentence, never these.
"""

from __future__ import annotations

from ui.i18n import QT_TRANSLATE_NOOP

__all__ = ["TEMPLATES", "WORDS"]

_CUMULATIVE_TAIL = " ({kind}: {source})"
_SHOWN = "{label} {total} {unit_text}{factors}"

#: code (``*`` for the part a code takes from its kind; ``#variant`` for another form of the sentence) →
#: template. The English here is the shape of the core's sentence, for translators; English shows the core's.
TEMPLATES: dict[str, str] = {
    "bsa.above_warn": QT_TRANSLATE_NOOP(
        "CoreFlag", "BSA {bsa:2} m² is above {threshold:2} m²; check the obesity / BSA-cap policy of the protocol"
    ),
    "bsa.capped": QT_TRANSLATE_NOOP(
        "CoreFlag", "BSA {bsa:2} m² capped at {cap:2} m²; ASCO 2021 recommends full weight-based dosing"
    ),
    "carboplatin.no_gfr_cap": QT_TRANSLATE_NOOP(
        "CoreFlag", "no GFR cap: FDA (2010) advises capping an estimated GFR at 125 mL/min"
    ),
    "carboplatin.no_gfr_cap#measured": QT_TRANSLATE_NOOP(
        "CoreFlag", "no GFR cap: FDA (2010) advises capping an estimated GFR at 125 mL/min; a measured GFR needs no cap"
    ),
    "carboplatin.measured_gfr_capped": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "the GFR was given directly; if it was measured (EDTA, 24-hour urine) the cap may be removed with "
        "--gfr-cap none and a documented reason",
    ),
    "carboplatin.auc_high": QT_TRANSLATE_NOOP(
        "CoreFlag", "target AUC {auc} is above {threshold}; NCCN suggests a measured GFR for high AUC"
    ),
    "carboplatin.gfr_capped": QT_TRANSLATE_NOOP("CoreFlag", "GFR {gfr:1} mL/min capped at {cap:1} mL/min"),
    "weight.not_measured": QT_TRANSLATE_NOOP(
        "CoreFlag", "weight is {source}, not measured; ISMP advises measured weight for dosing"
    ),
    "*.not_measured": QT_TRANSLATE_NOOP(
        "CoreFlag", "{field} is {source}, not measured; ISMP advises measured values for dosing"
    ),
    "dose.above_protocol": QT_TRANSLATE_NOOP(
        "CoreFlag", "dose is {percent:2} % of the protocol dose: an increase needs the prescriber's documented reason"
    ),
    "dose.above_protocol#prescribed": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % above the recomputed {recomputed_mg:2} mg "
        "(tolerance {tolerance_percent:2} %); a dose above protocol needs the prescriber's documented reason",
    ),
    "dose.above_protocol#reason": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % above the recomputed {recomputed_mg:2} mg "
        "(tolerance {tolerance_percent:2} %); reason given: {reason}",
    ),
    "dose.below_protocol": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % below the recomputed {recomputed_mg:2} mg "
        "(tolerance {tolerance_percent:2} %); check for a dose reduction not in the order",
    ),
    "dose.below_protocol#reason": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: prescribed {prescribed_mg:2} mg is {difference:2} % below the recomputed {recomputed_mg:2} mg "
        "(tolerance {tolerance_percent:2} %); reason given: {reason}",
    ),
    "dose.per_day_per_cycle_mismatch": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: prescribed {prescribed_mg:2} mg matches the per-cycle total {per_cycle_mg:2} mg ({days} days × "
        "{recomputed_mg:2} mg), not the dose per day; check the order",
    ),
    "prescribed.not_in_order": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: {prescribed_mg:2} mg is prescribed, but {regimen} phase {phase}, cycle {cycle} with choices "
        "{choices} has no line of this drug",
    ),
    "dose.above_max_single": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: {dose} is above the maximum single dose {max} ({source})"
    ),
    "rounding.not_applied": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "exact dose kept: rounding to {candidate:3} mg would deviate {deviation:2} %, beyond {max_deviation:2} %",
    ),
    "rounding.not_applied#small": QT_TRANSLATE_NOOP(
        "CoreFlag", "exact dose kept: it is smaller than half the {step:3} mg step"
    ),
    "rounding.refused": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: rounding to the vial step would exceed the maximum deviation; the exact dose is kept"
    ),
    "measurement.*_missing": QT_TRANSLATE_NOOP(
        "CoreFlag", "no {kind} is recorded on or before {date:date}; record one, or override with a reason"
    ),
    "measurement.*_stale": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{kind} measured on {measured_on:date} is {age_days} days old on {date:date}; the window is {window_days} "
        "days — measure again, or override with a reason",
    ),
    "day1.*_missing": QT_TRANSLATE_NOOP(
        "CoreFlag", "no day-1 {kind} is recorded (go criterion {rule}); record it, or override with a reason"
    ),
    "day1.*_low": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{kind} {value} {unit} fails the day-1 go criterion {rule}: the cycle waits, or override with a reason",
    ),
    "day1.*_high": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{kind} {value} {unit} fails the day-1 go criterion {rule}: the cycle waits, or override with a reason",
    ),
    "weight.changed": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "weight {weight:1} differs by {change_percent:1} % from the reference weight {reference:1}; recalculate "
        "and confirm the doses",
    ),
    "weight.changed#ledger": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "weight {current_kg:1} kg is {change_percent:1} % from the reference {reference_kg:1} kg (threshold "
        "{threshold_percent:1} %): recalculate the doses or confirm the weight",
    ),
    "pd1.months_reached": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{elapsed_months} months {elapsed_days} days since the first PD-1 dose on {first_dose:date}: the bound of "
        "{months} months ended on {stop_date:date} ({source})",
    ),
    "pd1.months_near": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{elapsed_months} months {elapsed_days} days since the first PD-1 dose on {first_dose:date}: the bound of "
        "{months} months ends on {stop_date:date} ({source})",
    ),
    "pd1.cycles_reached": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{cycles_given} PD-1 cycles given since the first PD-1 dose on {first_dose:date}: the bound is "
        "{max_cycles} cycles ({source})",
    ),
    "pd1.cycles_near": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{cycles_given} PD-1 cycles given since the first PD-1 dose on {first_dose:date}, near the bound of "
        "{max_cycles} cycles ({source})",
    ),
    "pd1.prior_declared": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "PD-1 treatment declared before: {declared} — the bound counts from the first dose recorded here; check "
        "the date of the first PD-1 dose",
    ),
    "radiotherapy.default_alpha_beta": QT_TRANSLATE_NOOP(
        "CoreFlag", "{site}: no α/β is set for this site; the default {alpha_beta:2} Gy is used"
    ),
    "radiotherapy.alpha_beta_missing": QT_TRANSLATE_NOOP(
        "CoreFlag", "{site}: no α/β is set for this site, so BED and EQD2 are not shown"
    ),
    "radiotherapy.course_invalid": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{site} course {course}: {total_gy} Gy in {fractions} fractions is not a course; it is left out of the sums",
    ),
    "radiotherapy.large_fraction": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "course {course}: {per_fraction:2} Gy per fraction; the linear-quadratic model is less reliable for "
        "large doses per fraction",
    ),
    "radiotherapy.large_fraction#site": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{site} course {course}: {per_fraction:2} Gy per fraction; the linear-quadratic model is less reliable "
        "for large doses per fraction",
    ),
    "radiotherapy.reference": QT_TRANSLATE_NOOP("CoreFlag", "{site}: {text}"),
    "radiotherapy.extended": QT_TRANSLATE_NOOP(
        "CoreFlag", "{phase}: {lost} radiotherapy day(s) lost to closures ({dates:dates}); the course ends later"
    ),
    "cumulative.not_in_catalogue": QT_TRANSLATE_NOOP(
        "CoreFlag", "{label} is not in the drug catalogue: no cumulative limit is known"
    ),
    "cumulative.bsa_missing": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{label}: {count} administration(s) without a recorded BSA cannot count in {unit_text} ({doses}); record "
        "the BSA of each administration — the total is not guessed",
    ),
    "cumulative.prior_not_counted": QT_TRANSLATE_NOOP("CoreFlag", "{label}: not counted in {unit_text}: {text}"),
    "cumulative.prior_not_counted#unreadable": QT_TRANSLATE_NOOP("CoreFlag", "{label}: not counted: {text}"),
    "cumulative.planned_not_projected": QT_TRANSLATE_NOOP(
        "CoreFlag", "{label}: planned doses without a dose in {unit_text}: {text}"
    ),
    "cumulative.limit_reached": QT_TRANSLATE_NOOP(
        "CoreFlag", _SHOWN + " has reached the limit of {limit} {unit_text}" + _CUMULATIVE_TAIL
    ),
    "cumulative.warning": QT_TRANSLATE_NOOP(
        "CoreFlag", _SHOWN + " has reached the warning level of {warn_at} {unit_text}" + _CUMULATIVE_TAIL
    ),
    "cumulative.warning#limit": QT_TRANSLATE_NOOP(
        "CoreFlag",
        _SHOWN + " has reached the warning level of {warn_at} {unit_text} ({percent_of_limit:1} % of the {limit} "
        "{unit_text} limit)" + _CUMULATIVE_TAIL,
    ),
    "cumulative.next_over_limit": QT_TRANSLATE_NOOP(
        "CoreFlag",
        _SHOWN + ": the doses planned on {next_on:date} would bring it to {next_total} {unit_text}, past the limit "
        "of {limit} {unit_text}" + _CUMULATIVE_TAIL,
    ),
    "cumulative.projected_over_limit": QT_TRANSLATE_NOOP(
        "CoreFlag",
        _SHOWN + ": with every planned dose it would reach {projected} {unit_text}, past the limit of {limit} "
        "{unit_text}" + _CUMULATIVE_TAIL,
    ),
    "cumulative.projected_warning": QT_TRANSLATE_NOOP(
        "CoreFlag",
        _SHOWN + ": with every planned dose it would reach {projected} {unit_text}, past the warning level of "
        "{warn_at} {unit_text}" + _CUMULATIVE_TAIL,
    ),
    "bmi.unusual": QT_TRANSLATE_NOOP(
        "CoreFlag", "BMI {bmi:1} kg/m² is outside {range}; confirm height and weight and the weight policy"
    ),
    "age.above_warn": QT_TRANSLATE_NOOP(
        "CoreFlag", "age {age} years is above {threshold}; check organ function and dosing policy"
    ),
    "height.unusual": QT_TRANSLATE_NOOP("CoreFlag", "height {height_cm:1} cm is unusual; confirm it was measured"),
    "weight.unusual": QT_TRANSLATE_NOOP("CoreFlag", "weight {weight_kg:1} kg is unusual; confirm it was measured"),
    "creatinine.unusual": QT_TRANSLATE_NOOP(
        "CoreFlag", "creatinine {creatinine_mg_dl:2} mg/dL is outside {range}; estimated clearance is unreliable there"
    ),
    "creatinine.floor_applied": QT_TRANSLATE_NOOP(
        "CoreFlag", "creatinine {measured:2} mg/dL raised to the floor of {floor:2} mg/dL"
    ),
    "egfr.indexed_only": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "eGFR is per 1.73 m² and cannot be used for dosing as it stands; give height and weight to de-index it "
        "with the patient's BSA",
    ),
    "ibw.short_stature": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "height {height_cm:1} cm is under 152.4 cm (60 in): Devine ideal weight is extrapolated and may be unreliable",
    ),
    "adjusted_weight.below_ideal": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "actual weight is below ideal weight, so the adjusted weight is below ideal too; consider the actual "
        "weight basis",
    ),
    "preparation.rate_mismatch": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "rate × duration = {rate:2} × {duration:2} = {infused:1}, but the bag or device holds {volume:1} "
        "({difference_percent:1} % apart; at most {tolerance_percent} %): do not run it",
    ),
    "preparation.oral": QT_TRANSLATE_NOOP("CoreFlag", "{drug} is taken by mouth: dispensed, nothing to prepare"),
    "preparation.no_strength": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: no vial strength configured; the site formulary must add one"
    ),
    "preparation.no_data": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: no preparation data (diluent, concentration range, duration) in the catalogue"
    ),
    "preparation.diluent_not_allowed": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug} must not be diluted in {diluent}; allowed: {allowed}"
    ),
    "preparation.diluent_not_allowed#note": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug} must not be diluted in {diluent} ({note}); allowed: {allowed}"
    ),
    "preparation.no_duration": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: no infusion duration in the regimen line or the catalogue; give one"
    ),
    "preparation.outlasts_stability": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: the infusion ({duration}) lasts longer than the prepared product keeps ({use_within}, {storage}); "
        "split it",
    ),
    "preparation.stability_not_configured": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: no use-within time after preparation in the catalogue; the label shows none"
    ),
    "preparation.unconfirmed": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: not confirmed against the product label: {groups}"
    ),
    "preparation.multi_dose_remainder": QT_TRANSLATE_NOOP(
        "CoreFlag", "{kept:2} remain in an opened multi-dose vial: label it and keep it only within its in-use time"
    ),
    "preparation.pump_too_small": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: the drug volume {drawn:1} is more than the device holds ({device:1}); choose a faster device",
    ),
    "preparation.no_pump_fits": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: none of the site's pumps holds the dose in range; give the diluent or the pump rate"
    ),
    "preparation.range_not_configured": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: no stable final-concentration range in the catalogue; the concentration {concentration:3} cannot "
        "be checked",
    ),
    "preparation.out_of_range": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: final concentration {concentration:3} is {where} the stable range {low:3}–{high:3}; bags that fit: "
        "{fitting}",
    ),
    "preparation.out_of_range#no_bag": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: final concentration {concentration:3} is {where} the stable range {low:3}–{high:3}; no site bag "
        "size fits: split the dose or change the diluent volume",
    ),
    "batch.duplicate_order_id": QT_TRANSLATE_NOOP("CoreFlag", "order {order_id} is also on line {line}"),
    "dose_level.unavailable": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: no dose level −{dose_level} in the regimen; the protocol dose is shown — decide the reduction locally",
    ),
    "dose_level.not_applicable": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: a flat dose without reduction levels; the protocol dose is given"
    ),
    "dose_level.weight_rule": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: the weight rule sets the dose; dose level −{dose_level} is not applied — record a reduction as a "
        "dose modification",
    ),
    "weight_rule.no_weight": QT_TRANSLATE_NOOP("CoreFlag", "{drug}: the dose depends on weight; give the weight"),
    "regimen.not_current": QT_TRANSLATE_NOOP("CoreFlag", "regimen {regimen} v{version} is {status}"),
    "regimen.draft": QT_TRANSLATE_NOOP("CoreFlag", "regimen {regimen} v{version} is a draft, not yet approved"),
    "regimen.value_unconfirmed": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: the protocol dose {dose} is not confirmed against its primary source"
    ),
    "regimen.value_unconfirmed#note": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: the protocol dose {dose} is not confirmed against its primary source: {note}"
    ),
    "regimen.value_unconfirmed#weight_rule": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: the weight-rule dose {dose} is not confirmed against its primary source"
    ),
    "drug.no_limit_configured": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{drug}: no dose limit configured; verification is blocked until a pharmacist acknowledges it",
    ),
    "drug.no_strength_configured": QT_TRANSLATE_NOOP("CoreFlag", "{drug}: no strength configured"),
    "drug.strength_unconfirmed": QT_TRANSLATE_NOOP(
        "CoreFlag", "{drug}: strengths not yet confirmed against the site formulary"
    ),
    "choice.missing": QT_TRANSLATE_NOOP(
        "CoreFlag", "no choice made for {group_name} ({group}); choose one of {options}"
    ),
    "choice.missing#plan": QT_TRANSLATE_NOOP(
        "CoreFlag", "{phase}: no choice made for {group}; its lines are not scheduled"
    ),
    "choice.unknown": QT_TRANSLATE_NOOP(
        "CoreFlag", "“{choice}” is not an option of {group_name} ({group}); choose one of {options}"
    ),
    "event.moved": QT_TRANSLATE_NOOP(
        "CoreFlag", "{phase} cycle {cycle} day {day} {what} moved from {moved_from:date} to {date:date}"
    ),
    "event.moved#note": QT_TRANSLATE_NOOP(
        "CoreFlag", "{phase} cycle {cycle} day {day} {what} moved from {moved_from:date} to {date:date} ({note})"
    ),
    "phase.stopped": QT_TRANSLATE_NOOP("CoreFlag", "{phase} stops on {on:date}: {by} starts on {event}"),
    "cycle.delayed": QT_TRANSLATE_NOOP("CoreFlag", "{phase} cycle {cycle} delayed {days} days"),
    "cycle.delayed#reason": QT_TRANSLATE_NOOP("CoreFlag", "{phase} cycle {cycle} delayed {days} days: {reason}"),
    "interval.short": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{phase} cycle {cycle} day 1 is only {gap} days after cycle {previous} day 1; the regimen's interval is "
        "{interval} days — blocked until a reason is given",
    ),
    "interval.short#reason": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{phase} cycle {cycle} day 1 is only {gap} days after cycle {previous} day 1; the regimen's interval is "
        "{interval} days — reason: {reason}",
    ),
    "interval.short_by_closure": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "{phase} cycle {cycle} day 1 is {gap} days after the previous one (the regimen says {interval}) because a "
        "closure moved a day 1",
    ),
    "fact.unmatched": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "recorded {status} dose of {drug} ({phase} cycle {cycle} day {day}) matches no planned administration; "
        "check the record",
    ),
    "plan.not_projected": QT_TRANSLATE_NOOP(
        "CoreFlag",
        "plan {plan}: regimen {regimen} {version} is not in the library, so its planned doses are not projected",
    ),
    "plan.not_projected#reason": QT_TRANSLATE_NOOP(
        "CoreFlag", "plan {plan} ({regimen} {version}) cannot be projected: {reason}"
    ),
}

#: Words the core writes into its sentences from a fixed set (statuses, solutions, kinds).
WORDS: dict[str, str] = {
    "stated": QT_TRANSLATE_NOOP("CoreFlag", "stated"),
    "estimated": QT_TRANSLATE_NOOP("CoreFlag", "estimated"),
    "below": QT_TRANSLATE_NOOP("CoreFlag", "below"),
    "above": QT_TRANSLATE_NOOP("CoreFlag", "above"),
    "regimen bound": QT_TRANSLATE_NOOP("CoreFlag", "regimen bound"),
    "sodium chloride 0.9%": QT_TRANSLATE_NOOP("CoreFlag", "sodium chloride 0.9%"),
    "glucose 5%": QT_TRANSLATE_NOOP("CoreFlag", "glucose 5%"),
    "label": QT_TRANSLATE_NOOP("CoreFlag", "label"),
    "convention": QT_TRANSLATE_NOOP("CoreFlag", "convention"),
    "protocol": QT_TRANSLATE_NOOP("CoreFlag", "protocol"),
    "draft": QT_TRANSLATE_NOOP("CoreFlag", "draft"),
    "approved": QT_TRANSLATE_NOOP("CoreFlag", "approved"),
    "superseded": QT_TRANSLATE_NOOP("CoreFlag", "superseded"),
    "withdrawn": QT_TRANSLATE_NOOP("CoreFlag", "withdrawn"),
    "given": QT_TRANSLATE_NOOP("CoreFlag", "given"),
    "held": QT_TRANSLATE_NOOP("CoreFlag", "held"),
    "radiotherapy": QT_TRANSLATE_NOOP("CoreFlag", "radiotherapy"),
    "intervention": QT_TRANSLATE_NOOP("CoreFlag", "intervention"),
    "check": QT_TRANSLATE_NOOP("CoreFlag", "check"),
    "strengths": QT_TRANSLATE_NOOP("CoreFlag", "strengths"),
    "reconstitution": QT_TRANSLATE_NOOP("CoreFlag", "reconstitution"),
    "diluents": QT_TRANSLATE_NOOP("CoreFlag", "diluents"),
    "concentration": QT_TRANSLATE_NOOP("CoreFlag", "concentration"),
    "administration": QT_TRANSLATE_NOOP("CoreFlag", "administration"),
    "stability": QT_TRANSLATE_NOOP("CoreFlag", "stability"),
    "none": QT_TRANSLATE_NOOP("CoreFlag", "none"),
    "progression": QT_TRANSLATE_NOOP("CoreFlag", "progression"),
    "recurrence": QT_TRANSLATE_NOOP("CoreFlag", "recurrence"),
}
