"""Reading speed (issue 14): docgen's fast workbook reader vs openpyxl, measured in the same run.

    python bench/read.py [--candidates 1000] [--repeat 5]

1. read:    docgen.load_campaign (the fast reader, docgen/xlsx.py)  vs  the same reader on openpyxl's read-only
            mode (docgen's fallback, the path every workbook took before), in this process, caches emptied before
            each run so every run pays for each text once.                    Goal: fast read ≤ 0.3 s at 1,000.
2. parse:   the fast reader's rows of every sheet  vs  openpyxl's load_workbook + iter_rows (values and fonts).
3. process: a new Python process importing docgen and reading the workbook, each way (imports included);
            the fast one must not import openpyxl.
The machine is shared and noisy: each figure is the best of --repeat runs, taken in turns.
"""
from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from workbooks import make_workbook  # noqa: E402

from docgen import reader, text, vietnamese, xlsx  # noqa: E402

_CHILD = """
import sys, time
t = time.perf_counter()
from docgen.reader import WorkbookReader, load_campaign
if sys.argv[2] == "fast":
    campaign = load_campaign(sys.argv[1])
else:
    r = WorkbookReader(__import__("pathlib").Path(sys.argv[1]))
    campaign = r.read_book(r._open_with_openpyxl())
print(time.perf_counter() - t, "openpyxl" in sys.modules, len(campaign.individuals))
"""


def _empty_caches() -> None:
    for fn in (vietnamese._decide_legacy, text._fold_str):
        fn.cache_clear()


def _read_fast(path: Path) -> None:
    reader.load_campaign(path)


def _read_openpyxl(path: Path) -> None:
    r = reader.WorkbookReader(path)
    r.read_book(r._open_with_openpyxl())


def _parse_fast(path: Path) -> None:
    with xlsx.Book(path) as book:
        for ws in book.worksheets:
            for _ in book.rows(ws, []):
                pass


def _parse_openpyxl(path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    book = reader.OpenpyxlBook(wb)
    for ws in book.worksheets:
        for _ in book.rows(ws, []):
            pass
    book.close()


def best_in_turns(repeat: int, **fns) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            _empty_caches()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: min(ts) for name, ts in times.items()}


def child(path: Path, how: str) -> tuple[float, bool]:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), how], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    return float(out[0]), out[1] == "True"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--candidates", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_workbook(Path(tmp) / "bench.xlsx", args.candidates)
        _read_openpyxl(path)                       # warm the file cache and the imports
        read = best_in_turns(args.repeat, fast=lambda: _read_fast(path), openpyxl=lambda: _read_openpyxl(path))
        parse = best_in_turns(args.repeat, fast=lambda: _parse_fast(path), openpyxl=lambda: _parse_openpyxl(path))
        runs = {"fast": [], "openpyxl": []}
        imported = False
        for _ in range(max(2, args.repeat // 2)):
            for how in runs:
                seconds, has_openpyxl = child(path, how)
                runs[how].append(seconds)
                imported = imported or (how == "fast" and has_openpyxl)
        proc = {how: min(ts) for how, ts in runs.items()}
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}; "
          f"{args.candidates} candidates; best of {args.repeat}")
    print(f"read   : load_campaign {read['fast']:.3f}s  vs  on openpyxl {read['openpyxl']:.3f}s  → "
          f"{read['openpyxl'] / read['fast']:.1f}× faster (goal: ≤ 0.3 s)")
    print(f"parse  : fast rows {parse['fast']:.3f}s  vs  openpyxl rows {parse['openpyxl']:.3f}s  → "
          f"{parse['openpyxl'] / parse['fast']:.1f}× faster")
    print(f"process: import + read {proc['fast']:.3f}s  vs  {proc['openpyxl']:.3f}s on openpyxl  → "
          f"{proc['openpyxl'] / proc['fast']:.1f}×; openpyxl imported on the fast path: {imported}")


if __name__ == "__main__":
    main()
