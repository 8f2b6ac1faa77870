"""Speed benchmark: prints ratios against baselines measured in the same run (never absolute goals).

    python bench/bench_build.py [--people 300] [--repeat 3]

1. read:   docgen.load_campaign on a large workbook  vs  a bare openpyxl read-only pass over the same file.
           Goal: ratio ≤ 3 (typed records, validation, legacy-text detection cost at most 3× a raw read).
2. render: docgen's render of one Báo cáo thành tích (sandboxed, strict, filters)  vs  plain docxtpl with a
           default Jinja environment on the same template and context.  Goal: ratio ≤ 1.5.
3. build:  the whole pipeline for N candidates (every document, files written)  vs  N plain docxtpl renders.
           Goal: ratio ≤ 2.
The machine is noisy: each figure is the best of --repeat runs.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def make_campaign(path: Path, people: int) -> Path:
    sys.path.insert(0, str(ROOT / "tools"))
    import make_fixtures as mf

    from docgen.workbook import write_workbook

    individuals = []
    votes = []
    for i in range(people):
        base = mf.INDIVIDUALS_000[i % len(mf.INDIVIDUALS_000)]
        name = f"{base[0]} {chr(65 + i % 26)}{i}"
        individuals.append({"STT": i + 1, "Họ và tên": name, "Giới tính": base[1], "Ngày sinh": base[2],
                            "Chức vụ": base[3], "Đơn vị": base[4], "Hình thức đề nghị": mf.LDTT,
                            "Kỷ luật": "Không", "Ngày tuyển dụng": date(2015, 1, 1),
                            "Thành tích": base[9] + "\n" + base[9]})
        votes.append((name, mf.LDTT, 6, 0))
    info = {"Cơ quan ban hành": "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", "Ký hiệu cơ quan": "VKSCB",
            "Đơn vị soạn thảo": "VP", "Địa danh": "Cao Bằng", "Tên phong trào": mf.PHONG_TRAO_000,
            "Loại khen thưởng": "Hằng năm", "Năm": 2026, "Ngày ban hành": date(2026, 6, 22),
            "Kính gửi": "Viện trưởng Viện kiểm sát nhân dân tối cao", "Cấp trình khen": "VKSND tối cao",
            "Thời gian họp": "14 giờ 00", "Địa điểm họp": "Hội trường", "Thời gian kết thúc": "16 giờ 30"}
    tables = {"Căn cứ": [(1, t) for t in mf.CAN_CU_000], "Cá nhân": individuals, "Hội đồng": mf.COUNCIL_000,
              "Biểu quyết": votes, "Nơi nhận": [(d, x) for d, xs in mf.NOI_NHAN_000.items() for x in xs],
              "Người ký": mf.SIGNERS_000}
    return write_workbook(path, info, tables)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import openpyxl
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    import docgen
    from docgen import assemble, render
    from docgen.build import builtin_templates_dir
    from docgen.validation import check

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wb = make_campaign(tmp / "bench.xlsx", args.people)

        def raw_read():
            book = openpyxl.load_workbook(wb, read_only=True, data_only=True)
            for ws in book.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    pass
            book.close()

        t_raw = best_of(args.repeat, raw_read)
        t_read = best_of(args.repeat, lambda: docgen.load_campaign(wb))

        campaign = docgen.load_campaign(wb)
        report, evaluation, docs = check(campaign, None, today=date(2026, 6, 22))
        jobs = [j for j in assemble.plan_documents(campaign, evaluation, today=date(2026, 6, 22))
                if j.key == "bao-cao"]
        template = builtin_templates_dir() / jobs[0].template
        context = jobs[0].context

        def plain_render(ctx=context):
            doc = DocxTemplate(str(template))
            doc.render(ctx, Environment(autoescape=True))
            import io
            buf = io.BytesIO()
            doc.save(buf)

        t_plain = best_of(args.repeat, plain_render)
        t_ours = best_of(args.repeat, lambda: render.render(template, context))

        n = len(jobs)
        t_plain_all = best_of(1, lambda: [plain_render(j.context) for j in jobs])
        counter = iter(range(10_000))
        t_build = best_of(args.repeat, lambda: docgen.build(wb, tmp / f"out{next(counter)}",
                                                            today=date(2026, 6, 22)))

    print(f"candidates: {args.people}; best of {args.repeat}")
    print(f"read   : docgen {t_read:.3f}s  vs raw openpyxl {t_raw:.3f}s  → ratio {t_read / t_raw:.2f} (goal ≤ 3)")
    print(f"render : docgen {t_ours * 1000:.1f}ms vs plain docxtpl {t_plain * 1000:.1f}ms → ratio "
          f"{t_ours / t_plain:.2f} (goal ≤ 1.5)")
    print(f"build  : docgen {t_build:.2f}s for every document vs {n} plain renders {t_plain_all:.2f}s → ratio "
          f"{t_build / t_plain_all:.2f} (goal ≤ 2)")


if __name__ == "__main__":
    main()
