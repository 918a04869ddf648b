"""The patient-record commands: users, patients, measurements, plans, administrations, ledger, audit, backup.

    dosecalc user add --username U --full-name N --role pharmacist|nurse|physician|administrator
    dosecalc patient add --hospital-number H --name N --dob YYYY-MM-DD --sex S --allergies A --diagnosis D
                         [--language zh_CN|en]
    dosecalc patient list [--search TEXT]
    dosecalc patient show PATIENT
    dosecalc measure PATIENT --kind KIND --value "61 kg" --date YYYY-MM-DD [--source measured|stated|estimated]
    dosecalc plan create PATIENT --regimen ID [--version V] --start YYYY-MM-DD [--choose GROUP=OPTION ...]
                         [--phase-start PHASE=YYYY-MM-DD ...] [<dosing policy options>]
    dosecalc give PATIENT --drug ID --status given|held|modified [--dose "200 mg"] --date YYYY-MM-DD
                  [--bsa "1.7 m**2"] [--order ID] [--note TEXT]
    dosecalc ledger PATIENT [--on YYYY-MM-DD]
    dosecalc audit verify
    dosecalc backup --out FILE.jsonl|FILE.jsonl.gz|FILE.sqlite3
    dosecalc restore --from FILE [--accept-broken-trail]

Every command takes ``--db URL`` (else ``DOSECALC_DATABASE_URL``, else the SQLite file in the user's data
directory) and ``--json``. PATIENT is the hospital number. Every command that changes records takes
``--user NAME`` and the password from ``--password-file FILE`` or ``DOSECALC_PASSWORD``: there is no
``--password`` option, because a password typed on the command line stays in the shell history and shows
in the process list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dosecalc.cli.common import Handler, Parser
from dosecalc.cli.records import audit, give, ledger, patients, plans, users
from dosecalc.cli.records.access import PASSWORD_VARIABLE, signed_in

__all__ = ["PASSWORD_VARIABLE", "register", "signed_in"]


def register(command: Callable[[str, str, Handler], Parser], sub: Any) -> None:
    """Add user, patient, measure, plan, give, ledger, audit, backup and restore, in the order --help lists them."""
    for group in (users, patients, plans, give, ledger, audit):
        group.register(command, sub)
