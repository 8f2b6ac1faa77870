"""Write ``docgen/data/times_widths.json``: advance widths of the characters docgen prints, in Times New Roman
metrics (Liberation Serif is metric-compatible: same advance width for every character), for the four styles.

    python tools/make_font_widths.py [FONT_DIR]

docgen uses the table to size what the printed page depends on (header columns, the rule under the agency
name, table columns that must not break a word) without needing the fonts at build time.
"""
from __future__ import annotations

import json
import struct
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docgen" / "data" / "times_widths.json"
FILES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
         "italic": "LiberationSerif-Italic.ttf", "bolditalic": "LiberationSerif-BoldItalic.ttf"}
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"


def characters() -> list[str]:
    chars = {chr(c) for c in range(32, 127)} | {chr(c) for c in range(0xA0, 0x180)}
    chars |= {chr(c) for c in range(0x1EA0, 0x1EFA)} | set("ƠơƯư–—‘’“”…•№")
    for base in VIETNAMESE:
        for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
            ch = unicodedata.normalize("NFC", base + mark)
            if len(ch) == 1:
                chars |= {ch, ch.upper()}
    return sorted(chars)


def _tables(data: bytes) -> dict[str, tuple[int, int]]:
    n = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(n):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        out[tag.decode("latin-1")] = (off, length)
    return out


def _cmap(data: bytes, off: int) -> dict[int, int]:
    n = struct.unpack(">H", data[off + 2:off + 4])[0]
    for i in range(n):
        pid, eid, sub = struct.unpack(">HHI", data[off + 4 + 8 * i:off + 12 + 8 * i])
        if (pid, eid) in ((3, 1), (0, 3)):
            s = off + sub
            if struct.unpack(">H", data[s:s + 2])[0] == 4:
                break
    else:
        raise SystemExit("no cmap format 4")
    segx2 = struct.unpack(">H", data[s + 6:s + 8])[0]
    seg = segx2 // 2
    ends = struct.unpack(f">{seg}H", data[s + 14:s + 14 + segx2])
    starts = struct.unpack(f">{seg}H", data[s + 16 + segx2:s + 16 + 2 * segx2])
    deltas = struct.unpack(f">{seg}h", data[s + 16 + 2 * segx2:s + 16 + 3 * segx2])
    ro_at = s + 16 + 3 * segx2
    ranges = struct.unpack(f">{seg}H", data[ro_at:ro_at + segx2])
    out = {}
    for i in range(seg):
        for c in range(starts[i], ends[i] + 1):
            if c == 0xFFFF:
                continue
            if ranges[i] == 0:
                g = (c + deltas[i]) & 0xFFFF
            else:
                at = ro_at + 2 * i + ranges[i] + 2 * (c - starts[i])
                g = struct.unpack(">H", data[at:at + 2])[0]
                g = (g + deltas[i]) & 0xFFFF if g else 0
            out[c] = g
    return out


def widths(path: Path) -> tuple[int, dict[str, int]]:
    data = path.read_bytes()
    t = _tables(data)
    units = struct.unpack(">H", data[t["head"][0] + 18:t["head"][0] + 20])[0]
    n_hmetrics = struct.unpack(">H", data[t["hhea"][0] + 34:t["hhea"][0] + 36])[0]
    cmap = _cmap(data, t["cmap"][0])
    hmtx = t["hmtx"][0]
    out = {}
    for ch in characters():
        g = cmap.get(ord(ch))
        if g is None:
            continue
        g = min(g, n_hmetrics - 1)
        out[ch] = struct.unpack(">H", data[hmtx + 4 * g:hmtx + 4 * g + 2])[0]
    return units, out


def main(font_dir: str = "/usr/share/fonts/truetype/liberation2") -> None:
    table = {}
    for style, name in FILES.items():
        units, w = widths(Path(font_dir) / name)
        table[style] = {"units_per_em": units, "widths": w}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(OUT.relative_to(ROOT), sum(len(v["widths"]) for v in table.values()), "widths")


if __name__ == "__main__":
    main(*sys.argv[1:])
