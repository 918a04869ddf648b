"""``python -m ui``: the same as ``dosecalc-app``."""

import sys

from ui.app import main

sys.exit(main())
