"""Entry point of the frozen ``dosecalc`` command line (the core only: no Qt in this executable's imports)."""

import sys

from dosecalc.cli import main

sys.exit(main())
