"""What machine a benchmark ran on (platform, Python, CPU, package versions), and the tree made ready to time."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

__all__ = ["compile_tree", "machine"]

ROOT = Path(__file__).resolve().parent.parent


def machine(*packages: str) -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        **{name: version(name) for name in packages},
    }


def compile_tree() -> None:
    """Byte-compile dosecalc/ and ui/ as an installation does (pip and the bundle ship compiled modules).

    Without it, a shell with PYTHONDONTWRITEBYTECODE=1 (or a checkout never run before) makes every
    launch compile the program's modules from source, which an installed program never does and the
    floors (``python -c pass``, the bare window) never pay.
    """
    import compileall

    for package in ("dosecalc", "ui"):
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise SystemExit(f"cannot byte-compile {package}/")
