"""Regenerate ui/fonts/DoseCalcSansSC-Regular.otf from Noto Sans CJK SC (SIL Open Font License 1.1).

A development tool, not run by the build: the font it writes is committed. It needs fontTools
(``pip install fonttools``) and the Noto Sans CJK collection, e.g. Debian's fonts-noto-cjk::

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    python scripts/make_cjk_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

What it keeps: Latin, Greek, punctuation and the symbols the printouts use, CJK symbols and
punctuation, fullwidth forms, and every character of the CJK Unified Ideographs block
(U+4E00–U+9FFF; GB 2312 alone misses characters of real names such as 喆 and 堃).

What it drops, and why: glyph substitution (GSUB), see below; and the Kangxi radicals (U+2F00–U+2FDF),
the CJK radicals supplement (U+2E80–U+2EFF) and the CJK compatibility ideographs (U+F900–U+FAFF) draw
with the *same glyphs* as ordinary ideographs (⽉ U+2F49 and 月 U+6708 are one glyph). A PDF maps each
glyph back to one character, so with both in the font a printed 月 is extracted (copied, searched, read
aloud) as the radical ⽉. With them removed every glyph has exactly one character; the script refuses to
write a font where any glyph still has two.

The family is renamed "DoseCalc Sans SC" so that the subset never stands in for a full Noto Sans
CJK installed on the system (and OFL asks modified versions to say so).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FAMILY = "DoseCalc Sans SC"
SC_FACE = "Noto Sans CJK SC"
KEPT = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 and Latin Extended-A
    (0x0370, 0x03FF),  # Greek (α/β)
    (0x2000, 0x206F),  # General Punctuation (– — ‘ ’ “ ” • …)
    (0x2070, 0x209F),  # super- and subscripts
    (0x2100, 0x214F),  # letterlike symbols (℃ №)
    (0x2150, 0x218F),  # number forms
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (− ≤ ≥ ×)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x25FF),  # box drawing, block elements, geometric shapes
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (、。〈〉【】)
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (，：（）)
)


def _sc_face(source: Path) -> TTFont:
    if source.suffix.lower() == ".ttc":
        for face in TTCollection(str(source)).fonts:
            if face["name"].getDebugName(1) == SC_FACE:
                return face
        raise SystemExit(f"{source}: no '{SC_FACE}' face")
    return TTFont(str(source))


def _rename(font: TTFont) -> None:
    name = font["name"]
    postscript = FAMILY.replace(" ", "") + "-Regular"
    for record in list(name.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (2, 17):
            record.string = "Regular"
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript}; subset of Noto Sans CJK SC for DoseCalc"
    if "CFF " in font:
        cff = font["CFF "].cff
        old = cff.fontNames[0]
        cff.fontNames[0] = postscript
        cff.topDictIndex[0].FamilyName = FAMILY
        cff.topDictIndex[0].FullName = f"{FAMILY} Regular"
        if old in cff.strings.strings:
            pass


#: Where characters inside the kept ranges share a glyph, the one that keeps it (otherwise the lowest).
PREFERRED = frozenset({0x2013, 0x3000, 0xFF0F, 0xFF5E})


def _one_character_per_glyph(font: TTFont) -> list[int]:
    """Drop all but one character of each shared glyph from the cmap; the dropped code points."""
    dropped = [c for codes in shared_glyphs(font).values() for c in codes if c != _keeper(codes)]
    for table in font["cmap"].tables:
        for code in dropped:
            table.cmap.pop(code, None)
    return dropped


def _keeper(codes: list[int]) -> int:
    return next((c for c in codes if c in PREFERRED), min(codes))


def shared_glyphs(font: TTFont) -> dict[str, list[int]]:
    """Glyphs that more than one character maps to (each makes a PDF's text extraction ambiguous)."""
    characters: dict[str, list[int]] = defaultdict(list)
    for code, glyph in font.getBestCmap().items():
        characters[glyph].append(code)
    return {glyph: codes for glyph, codes in characters.items() if len(codes) > 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf")
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "ui/fonts/DoseCalcSansSC-Regular.otf")
    args = parser.parse_args()
    font = _sc_face(args.source)
    options = subset.Options()
    # No glyph substitution (GSUB): a substituted glyph (Noto's proportional digits in a Latin run,
    # ligatures) has no character in the cmap, and a PDF then extracts it as nothing: "07 Dec 2026"
    # came out as "Dec". Chinese set horizontally needs none of those features; kerning stays.
    options.layout_features = ["kern"]
    options.drop_tables += ["GSUB"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screen hinting is Qt's job; it halves nothing but costs space
    options.desubroutinize = False
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]  # no vertical text in DoseCalc
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for first, last in KEPT for c in range(first, last + 1)])
    subsetter.subset(font)
    _rename(font)
    dropped = _one_character_per_glyph(font)
    print("dropped (drawn by the same glyph as another character):", " ".join(f"U+{c:04X}" for c in dropped))
    shared = shared_glyphs(font)
    if shared:
        sample = ", ".join(" ".join(f"U+{c:04X}" for c in codes) for codes in list(shared.values())[:10])
        print(f"{len(shared)} glyphs still have more than one character, e.g. {sample}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(args.out))
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB, {len(font.getBestCmap())} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
