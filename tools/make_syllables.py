"""Write ``docgen/data/am_tiet.txt``: Vietnamese syllables seen in real administrative text, one a line.

    python tools/make_syllables.py TEXT_FILE... [--out docgen/data/am_tiet.txt]

Every word of the given files (UTF-8 text: real documents, the specs, the templates' prose) that spells a
valid Vietnamese syllable (docgen.vietnamese.is_vietnamese_syllable: onset, rhyme, tone rules) is kept,
lowercased.  The legacy-font decision (docgen.vietnamese.decide_legacy) prefers the reading of a cell whose
words are in this list: "Không" is, its TCVN3 reading "Khụng" is not.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.vietnamese import is_vietnamese_syllable  # noqa: E402

OUT = ROOT / "docgen" / "data" / "am_tiet.txt"


def syllables(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
        for word in re.findall(r"[^\W\d_]+", text):
            w = word.lower()
            if any(ord(c) > 127 for c in w) or len(w) >= 2:
                if is_vietnamese_syllable(w):
                    found.add(w)
    return found


def main(argv: list[str]) -> None:
    out = OUT
    if "--out" in argv:
        i = argv.index("--out")
        out = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    words = syllables([Path(a) for a in argv])
    if out.exists():
        words |= {w for w in out.read_text(encoding="utf-8").split() if w}
    out.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(out, len(words), "syllables")


if __name__ == "__main__":
    main(sys.argv[1:])
