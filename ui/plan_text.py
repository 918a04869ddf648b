"""What the plan says in words, in the language shown (or printed): phase stop rules, event notes, statuses.

The core writes a phase's stop rule and the notes of the events it plans in English, and gives each also
as stable codes with their values (:class:`dosecalc.schedule.plan.StopTerm`, ``Event.note_code``). In
English the screen and printout show the core's own words; in Chinese they are said from the templates
here (context ``PlanText``) with the values filled in: dates as ``2029年3月4日``, phases by their Chinese
names. A reason typed by a person stays as typed. Without a code (a note a nurse wrote), or with a code
this table does not know, the core's English is shown: never nothing.

Both the Calendar tab and the printed calendar use these, so screen and paper say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dosecalc.schedule.plan import Event, PhasePlan, StopTerm
from ui.i18n import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, current_language, date_text, translate

__all__ = ["STATUSES", "is_day1_check", "note_text", "status_text", "stop_rule_text"]

_CONTEXT = "PlanText"

_TERMS: dict[str, str] = {
    "cycles": QT_TRANSLATE_NOOP("PlanText", "{cycles} cycles"),
    "months#phase-first-dose": QT_TRANSLATE_NOOP("PlanText", "{months} months from the phase's first dose"),
    "months#first-pd1-dose": QT_TRANSLATE_NOOP("PlanText", "{months} months from the first PD-1 dose"),
    "until": QT_TRANSLATE_NOOP("PlanText", " (until {until})"),
    "on_event": QT_TRANSLATE_NOOP("PlanText", "starts on {event}; not scheduled"),
    "stopped_early": QT_TRANSLATE_NOOP("PlanText", "stopped early on {on}: {reason}"),
    "stopped_by": QT_TRANSLATE_NOOP("PlanText", "stopped on {on} by {by}"),
}
_OR = QT_TRANSLATE_NOOP("PlanText", " or ")
_WHICHEVER = QT_TRANSLATE_NOOP("PlanText", ", whichever comes first")
_THEN = QT_TRANSLATE_NOOP("PlanText", "; ")

#: The events a phase may start on (``PhaseStart.on_event``); "" when the regimen names none.
_EVENTS = {
    "progression": QT_TRANSLATE_NOOP("PlanText", "progression"),
    "recurrence": QT_TRANSLATE_NOOP("PlanText", "recurrence"),
    "": QT_TRANSLATE_NOOP("PlanText", "an event"),
}

_NOTES: dict[str, str] = {
    "check.day1": QT_TRANSLATE_NOOP("PlanText", "day-1 go/no-go: blood count, liver and kidney tests before dosing"),
    "check.response": QT_TRANSLATE_NOOP("PlanText", "response assessment after {after} cycles"),
    "radiotherapy.course": QT_TRANSLATE_NOOP("PlanText", "{total} in {fractions} fractions"),
    "intervention.local": QT_TRANSLATE_NOOP(
        "PlanText", "local intervention per lesion (up to {max_lesions}): {kinds} — schedule each lesion"
    ),
}

#: The kinds of local intervention a regimen may list.
_KINDS = {
    "radiotherapy": QT_TRANSLATE_NOOP("PlanText", "radiotherapy"),
    "surgery": QT_TRANSLATE_NOOP("PlanText", "surgery"),
    "ablation": QT_TRANSLATE_NOOP("PlanText", "ablation"),
}

#: What happened to a planned dose (``Event.status``).
STATUSES = {
    "planned": QT_TRANSLATE_NOOP("PlanText", "planned"),
    "given": QT_TRANSLATE_NOOP("PlanText", "given"),
    "held": QT_TRANSLATE_NOOP("PlanText", "held"),
    "skipped": QT_TRANSLATE_NOOP("PlanText", "skipped"),
    "modified": QT_TRANSLATE_NOOP("PlanText", "modified"),
}


def _tr(text: str) -> str:
    return translate(_CONTEXT, text)


def _date(iso: object) -> str:
    return date_text(dt.date.fromisoformat(str(iso)))


def stop_rule_text(phase: PhasePlan) -> str:
    """``4 cycles`` / ``4个周期``: when the phase stops, in the language shown (or printed).

    In English exactly the core's sentence; in Chinese from the phase's stop terms.
    """
    if current_language() == ENGLISH or not phase.stop_terms:
        return phase.stop_rule
    try:
        bounds = [_term_text(t) for t in phase.stop_terms if t.code in ("cycles", "months")]
        text = _tr(_OR).join(bounds) + (_tr(_WHICHEVER) if len(bounds) > 1 else "")
        for term in phase.stop_terms:
            if term.code not in ("cycles", "months"):
                text = f"{text}{_tr(_THEN)}{_term_text(term)}" if text else _term_text(term)
    except (KeyError, ValueError):
        return phase.stop_rule  # a term this table cannot say: the core's English, never nothing
    return text


def _term_text(term: StopTerm) -> str:
    p: Mapping[str, object] = term.params
    if term.code == "cycles":
        return _tr(_TERMS["cycles"]).format(cycles=p["cycles"])
    if term.code == "months":
        text = _tr(_TERMS[f"months#{p['anchor']}"]).format(months=p["months"])
        return text + (_tr(_TERMS["until"]).format(until=_date(p["until"])) if p["until"] else "")
    if term.code == "on_event":
        return _tr(_TERMS["on_event"]).format(event=_tr(_EVENTS[str(p["event"])]))
    if term.code == "stopped_early":
        return _tr(_TERMS["stopped_early"]).format(on=_date(p["on"]), reason=p["reason"])
    if term.code == "stopped_by":
        by = p.get("by_zh") if current_language() == CHINESE else p.get("by_en")
        return _tr(_TERMS["stopped_by"]).format(on=_date(p["on"]), by=by or p["by"])
    raise KeyError(term.code)


def note_text(event: Event) -> str:
    """The event's note in the language shown (or printed); a typed note as typed; "" for none."""
    note = event.note or ""
    if current_language() == ENGLISH or event.note_code not in _NOTES:
        return note
    p = dict(event.note_params)
    if "kinds" in p:
        p["kinds"] = "、".join(_tr(_KINDS.get(k.strip(), k.strip())) for k in str(p["kinds"]).split(","))
    try:
        return _tr(_NOTES[str(event.note_code)]).format(**p)
    except (KeyError, IndexError, ValueError):
        return note


def is_day1_check(event: Event) -> bool:
    """The go/no-go visit before a cycle (blood count, liver and kidney tests)."""
    return event.note_code == "check.day1"


def status_text(status: str) -> str:
    """``given`` / ``已给药``: what happened to a dose, in the language shown (or printed)."""
    return _tr(STATUSES[status]) if status in STATUSES else status
