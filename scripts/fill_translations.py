"""Fill unfinished messages of ui/translations/dosecalc_zh_CN.ts from a table (a maintenance helper).

    python scripts/fill_translations.py TABLE.py   # TABLE.py defines ZH = {source: translation}

Messages already translated are left alone; the script lists sources it has no translation for and
checks that every {placeholder} of the source appears in the translation.
"""

from __future__ import annotations

import re
import runpy
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).parents[1] / "ui/translations/dosecalc_zh_CN.ts"


def main() -> int:
    table = runpy.run_path(sys.argv[1])
    zh, by_context = table["ZH"], table.get("BY_CONTEXT", {})
    tree = ET.parse(TS)
    missing, broken = [], []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") != "unfinished":
                continue
            text = by_context.get((name, source), zh.get(source))
            if text is None:
                missing.append(f"{name}: {source!r}")
                continue
            if set(re.findall(r"\{\w*\}", source)) != set(re.findall(r"\{\w*\}", text)):
                broken.append(f"{name}: {source!r} → {text!r}")
                continue
            translation.text = text
            del translation.attrib["type"]
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    header = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>'
    text = TS.read_text(encoding="utf-8").replace("<?xml version='1.0' encoding='utf-8'?>", header)
    TS.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    for line in missing:
        print("no translation:", line)
    for line in broken:
        print("placeholders differ:", line)
    return 1 if missing or broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
