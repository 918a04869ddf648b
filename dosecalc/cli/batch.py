"""``dosecalc order --batch``: re-check a day's orders from a CSV file."""

from __future__ import annotations

import argparse

from dosecalc.cli.common import Payload
from dosecalc.errors import InputError

__all__ = ["run_batch"]


def run_batch(args: argparse.Namespace) -> tuple[Payload, list[str]]:
    raise InputError("batch", args.batch, "is not available in this build", expected="a single order")
