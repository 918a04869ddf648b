"""Entry point of the frozen ``dosecalc-app`` (the workstation window, its subcommands and --self-test)."""

import sys

from ui.app import main

sys.exit(main())
