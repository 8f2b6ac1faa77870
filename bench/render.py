"""Render cost of one document on the fast path (issue 14), per built-in template, as ratios measured in one run.

    python bench/render.py [--candidates 1000] [--sample 200] [--repeat 3] [--against DIR [--rounds 3]]

The contexts are those of a build of a bench workbook of ``--candidates`` candidates (reader → check → plan →
``JobSpec.context()`` within ``assemble.shared_base_contexts()``).  For each built-in template it prints the
CPU milliseconds per document (best of ``--repeat`` passes over up to ``--sample`` contexts) of:

- ``prepared``: ``PreparedTemplate(template).render_sized(context)``, what a build's workers do: each pass
  starts from a template just prepared (not timed), so a piece of a body (:mod:`docgen.pieces`) is made the
  first time a document has it and reused by the later ones, as in a build;
- ``docxtpl``:  plain docxtpl + the layout step (``docgen.render.render``) on a few of the same contexts;
- with ``--against DIR``: the fast path of the docgen package in DIR (an earlier commit, e.g.
  ``git archive <commit> | tar -x -C DIR``), measured in a child process of the same run, alternating with
  this code so that the machine's load falls on both alike.

and the ratios (docxtpl / prepared, earlier / prepared).  Every document rendered both ways here is the same
bytes (tests/test_prepared.py proves it), so only the time differs.
"""
from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 6, 22)


def contexts(candidates: int, sample: int) -> dict[str, list[dict]]:
    from docgen import assemble, reader
    from docgen.validation import check
    from workbooks import make_workbook

    with tempfile.TemporaryDirectory() as tmp:
        campaign = reader.load_campaign(make_workbook(Path(tmp) / "bench.xlsx", candidates))
    evaluation = check(campaign, None, today=TODAY)[1]
    found: dict[str, list[dict]] = {}
    with assemble.shared_base_contexts():
        for spec in assemble.plan_specs(campaign, evaluation, today=TODAY):
            if len(found.setdefault(spec.template, [])) < sample:
                found[spec.template].append(spec.context())
    return found


def per_document(make, ctxs: list[dict], repeat: int, budget: float = 0.6) -> float:
    """Best CPU milliseconds per document over ``repeat`` passes (each pass at least ``budget`` s of work);
    ``make()`` gives the render function of a pass (not timed)."""
    render = make()
    t0 = time.process_time()
    render(ctxs[0])                                     # warm: template read, compiled, lookups made
    once = max(time.process_time() - t0, 1e-4)
    passes = max(1, int(budget / (once * len(ctxs))))
    best = float("inf")
    for _ in range(repeat):
        spent = 0.0
        for _ in range(passes):
            render = make()
            t0 = time.process_time()
            for ctx in ctxs:
                render(ctx)
            spent += time.process_time() - t0
        best = min(best, spent / (passes * len(ctxs)))
    return best * 1000


def measure_prepared(by_template: dict[str, list[dict]], repeat: int) -> dict[str, float]:
    from docgen import prepared
    from docgen.resources import builtin_templates_dir

    out = {}
    for name, ctxs in sorted(by_template.items()):
        path = builtin_templates_dir() / name
        out[name] = per_document(lambda: prepared.PreparedTemplate(path).render_sized, ctxs, repeat)
    return out


def measure_docxtpl(by_template: dict[str, list[dict]]) -> dict[str, float]:
    from docgen import render
    from docgen.resources import builtin_templates_dir

    return {name: per_document(lambda n=name: lambda ctx: render.render(builtin_templates_dir() / n, ctx),
                               ctxs[:10], 1, budget=0.5)
            for name, ctxs in sorted(by_template.items())}


def child(code: Path, args: argparse.Namespace) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--code", str(code), "--json", "--candidates", str(args.candidates),
           "--sample", str(args.sample), "--repeat", str(args.repeat)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tempfile.gettempdir())
    if proc.returncode != 0:
        raise SystemExit(f"the code in {code} could not be measured:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=200, help="contexts per template (default 200)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=Path, help="a docgen checkout to compare with, in the same run")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: alternations, best kept")
    parser.add_argument("--code", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path[:0] = [str(args.code), str(ROOT / "bench")]
    by_template = contexts(args.candidates, args.sample)
    if args.json:
        print(json.dumps(measure_prepared(by_template, args.repeat)))
        return
    earlier: dict[str, float] = {}
    now: dict[str, float] = {}
    for _ in range(args.rounds if args.against else 1):     # alternate: a busy machine's load on both alike
        if args.against:
            for name, ms in child(args.against.resolve(), args).items():
                earlier[name] = min(ms, earlier.get(name, ms))
        for name, ms in measure_prepared(by_template, args.repeat).items():
            now[name] = min(ms, now.get(name, ms))
    plain = measure_docxtpl(by_template)
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · Python {platform.python_version()}"
          f" · {args.candidates} candidates, up to {args.sample} documents per template; CPU ms per document")
    head = f"{'template':24} {'docs':>5} {'prepared':>9} {'docxtpl':>9} {'×docxtpl':>9}"
    print(head + (f" {'earlier':>9} {'×earlier':>9}" if earlier else ""))
    for name in sorted(now):
        line = (f"{name:24} {len(by_template[name]):5d} {now[name]:9.3f} {plain[name]:9.2f} "
                f"{plain[name] / now[name]:8.1f}×")
        if name in earlier:
            line += f" {earlier[name]:9.3f} {earlier[name] / now[name]:8.2f}×"
        print(line)


if __name__ == "__main__":
    main()
