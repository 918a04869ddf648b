"""``python -m dosecalc``: the same command line as ``dosecalc``."""

import sys

from dosecalc.cli import main

sys.exit(main())
