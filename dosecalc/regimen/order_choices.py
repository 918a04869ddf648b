"""Choice resolution for a regimen order: which drug lines a cycle gives, given the choices made.

A choice group the phase needs and that has no choice, or an option the group does not offer, blocks the
order (medication-safety §2 D4: never a silent default); a group id the regimen does not have is an input
error naming the ``choose`` field.
"""

from __future__ import annotations

from collections.abc import Mapping

from dosecalc.derivation import Flag, Severity
from dosecalc.errors import InputError
from dosecalc.regimen.model import DrugLine, Phase, Regimen

__all__ = ["NONE_CHOICE", "select_lines"]

#: ``--choose chemo=none``: an optional choice group deliberately left out.
NONE_CHOICE = "none"


def select_lines(
    regimen: Regimen, phase: Phase, cycle: int, choices: Mapping[str, str]
) -> tuple[list[DrugLine], list[Flag]]:
    """The drug lines of ``phase`` given in ``cycle`` with ``choices``, and the flags of missing or unknown choices."""
    groups = {g.id: g for g in regimen.choice_groups}
    for group_id, option in choices.items():
        if group_id not in groups:
            raise InputError(
                "choose",
                f"{group_id}={option}",
                "names no choice group of this regimen",
                expected=" | ".join(groups) or "no choices (this regimen has none)",
            )
    flags: list[Flag] = []
    needed = {line.choice_pair[0] for line in phase.drugs if line.choice_pair}
    needed |= {r.choice.split("=")[0] for r in phase.radiotherapy if r.choice}
    for group_id in sorted(needed):
        group = groups[group_id]
        chosen = choices.get(group_id)
        options = [o.id for o in group.options] + ([NONE_CHOICE] if group.optional else [])
        if chosen is None:
            flags.append(
                Flag(
                    "choice.missing",
                    Severity.BLOCK,
                    f"no choice made for {group.name.en} ({group_id}); choose one of {', '.join(options)}",
                    {
                        "group": group_id,
                        "group_en": group.name.en,
                        "group_zh": group.name.zh,
                        "options": ", ".join(options),
                    },
                )
            )
        elif chosen not in options:
            flags.append(
                Flag(
                    "choice.unknown",
                    Severity.BLOCK,
                    f"{chosen!r} is not an option of {group.name.en} ({group_id}); choose one of {', '.join(options)}",
                    {
                        "group": group_id,
                        "group_en": group.name.en,
                        "group_zh": group.name.zh,
                        "options": ", ".join(options),
                        "choice": chosen,
                    },
                )
            )
    lines = []
    for line in phase.drugs:
        if line.cycles is not None and cycle not in line.cycles:
            continue
        pair = line.choice_pair
        if pair is not None and choices.get(pair[0]) != pair[1]:
            continue
        lines.append(line)
    return lines, flags
