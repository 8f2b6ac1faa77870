"""Large campaign workbooks for the benchmarks: the Cao Bằng example scaled to N candidates (a few
collectives, the rest individuals), each with two past awards and a vote, so every by-name lookup
(awards, votes, statuses) is exercised at scale."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tools"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import make_fixtures as mf  # noqa: E402

from docgen.workbook import write_workbook  # noqa: E402


def make_workbook(path: Path, candidates: int, *, collectives: int = 3) -> Path:
    collectives = min(collectives, candidates, len(mf.COLLECTIVES_000))
    tap_the = [dict(c) for c in mf.COLLECTIVES_000[:collectives]]
    individuals, awards, votes = [], [], []
    for c in tap_the:
        votes.append((c["Tên tập thể"], c["Hình thức đề nghị"], 6, 0))
        awards.append((c["Tên tập thể"], 2025, "Tập thể lao động tiên tiến", "39/QĐ-VKSCB", date(2025, 12, 18),
                       "VKSND tỉnh Cao Bằng"))
    for i in range(candidates - collectives):
        p = mf.INDIVIDUALS_000[i % len(mf.INDIVIDUALS_000)]
        name = f"{p[0]} {chr(65 + i % 26)}{i + 1}"
        individuals.append({"STT": i + 1, "Họ và tên": name, "Giới tính": p[1], "Ngày sinh": p[2],
                            "Quê quán": "Cao Bằng", "Trú quán": "Phường Thục Phán, tỉnh Cao Bằng",
                            "Chức vụ": p[3], "Đơn vị": p[4], "Trình độ chuyên môn": p[5],
                            "Hình thức đề nghị": mf.LDTT, "Kỷ luật": "Không", "Ngày tuyển dụng": p[8],
                            "Thành tích": p[9] + "\n" + p[9], "Số sáng kiến": p[10]})
        votes.append((name, mf.LDTT, 6, 0))
        awards.append((name, 2024, "Lao động tiên tiến", "45/QĐ-VKSCB", date(2024, 12, 20), "VKSND tỉnh Cao Bằng"))
        awards.append((name, 2025, "Lao động tiên tiến", "38/QĐ-VKSCB", date(2025, 12, 18), "VKSND tỉnh Cao Bằng"))
    info = {"Cơ quan chủ quản": "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",
            "Cơ quan ban hành": "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", "Ký hiệu cơ quan": "VKSCB",
            "Đơn vị soạn thảo": "VP", "Địa danh": "Cao Bằng", "Tên phong trào": mf.PHONG_TRAO_000,
            "Loại khen thưởng": "Hằng năm", "Năm": 2026, "Ngày ban hành": date(2026, 9, 28),
            "Kính gửi": "Viện trưởng Viện kiểm sát nhân dân tối cao",
            "Cấp trình khen": "Viện kiểm sát nhân dân tối cao", "Thời gian họp": "14 giờ 00, ngày 25/9/2026",
            "Địa điểm họp": "Hội trường Viện kiểm sát nhân dân tỉnh Cao Bằng", "Thời gian kết thúc": "16 giờ 30",
            "Số Kế hoạch": 5, "Số Tờ trình": 12}
    tables = {
        "Căn cứ": [(i, t) for i, t in enumerate(mf.CAN_CU_000, start=1)],
        "Đơn vị": [(i, u[0], u[1], u[2], "", u[3]) for i, u in enumerate(mf.UNITS_000, start=1)],
        "Tập thể": tap_the,
        "Cá nhân": individuals,
        "Khen thưởng": awards,
        "Hội đồng": mf.COUNCIL_000,
        "Biểu quyết": votes,
        "Nơi nhận": [(doc, item) for doc, items in mf.NOI_NHAN_000.items() for item in items],
        "Người ký": mf.SIGNERS_000,
    }
    return write_workbook(path, info, tables,
                          extra_columns={"Đơn vị": ["Tỷ lệ án toàn trình (%)"], "Tập thể": ["Số sáng kiến"],
                                         "Cá nhân": ["Số sáng kiến"]})
