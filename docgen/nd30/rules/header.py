"""The header block: Quốc hiệu, Tiêu ngữ, cơ quan chủ quản and cơ quan ban hành, then (in their own modules)
Số, ký hiệu and the date line, the "V/v" trích yếu of a công văn and typed rules left in the header.

:data:`CHECKS` is the header's full list, in the order the findings are reported.
"""
from __future__ import annotations

import re

from ..document import Line
from ..layout import QUOC_HIEU
from ..lines import all_bold, any_bold, any_italic, is_upper, size_problem
from ..report import DOC_TYPES
from . import date, hline, so_ky_hieu
from .base import Check, Context

QUOC_HIEU_OK = {QUOC_HIEU, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"}
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def _size_bold_upright(line: Line, low: float, high: float) -> list[str]:
    problems = []
    problems += size_problem(line, low, high)
    if not all_bold(line):
        problems.append("không đậm")
    if any_italic(line):
        problems.append("in nghiêng")
    return problems


def check_quoc_hieu(ctx: Context) -> None:
    qh = ctx.layout.header.quoc_hieu
    if qh is None:
        ctx.out.add("ND30-QUOCHIEU-MISSING", "Không thấy Quốc hiệu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\".",
                    "đầu văn bản")
        return
    if qh.text not in QUOC_HIEU_OK:
        ctx.out.add("ND30-QUOCHIEU-TEXT", f"Quốc hiệu phải là \"{QUOC_HIEU}\".", qh.where, qh.text)
    problems = _size_bold_upright(qh, 12, 13)
    if problems:
        ctx.out.add("ND30-QUOCHIEU-FORMAT", "Quốc hiệu: " + ", ".join(problems) + ".", qh.where, qh.text)


def check_tieu_ngu(ctx: Context) -> None:
    header = ctx.layout.header
    tn, qh = header.tieu_ngu, header.quoc_hieu
    if tn is None:
        ctx.out.add("ND30-TIEUNGU-MISSING", f"Không thấy Tiêu ngữ \"{TIEU_NGU}\".", "đầu văn bản")
        return
    if tn.text != TIEU_NGU:
        detail = ""
        if re.search("[–—‒―]", tn.text):
            detail = " (dùng gạch ngang dài \"–\"/\"—\" thay cho gạch nối \"-\")"
        elif re.search(r"\S-|-\S", tn.text):
            detail = " (thiếu khoảng trắng hai bên dấu gạch nối)"
        ctx.out.add("ND30-TIEUNGU-TEXT", f"Tiêu ngữ phải viết đúng \"{TIEU_NGU}\"{detail}.", tn.where, tn.text)
    problems = _size_bold_upright(tn, 13, 14)
    if problems:
        ctx.out.add("ND30-TIEUNGU-FORMAT", "Tiêu ngữ: " + ", ".join(problems) + ".", tn.where, tn.text)
    if qh is not None:
        container = header.container_of(tn)
        if container is not None and container is header.container_of(qh):
            between = container.lines[container.index(qh) + 1: container.index(tn)]
            if between and all(not ln.text for ln in between):
                ctx.out.add("ND30-TIEUNGU-SPACING", "Có dòng trống giữa Quốc hiệu và Tiêu ngữ.", tn.where, tn.text)
    hline.check_rule_under(ctx, tn, "Tiêu ngữ")


def check_agency(ctx: Context) -> None:
    header = ctx.layout.header
    if not header.agency:
        if header.lines or ctx.blocks:
            ctx.out.add("ND30-COQUAN-MISSING", "Không thấy tên cơ quan ban hành (in hoa, đậm) phía trên số, "
                        "ký hiệu văn bản.", header.so.where if header.so is not None else "đầu văn bản")
        return
    for line in header.chu_quan:
        problems = []
        if not is_upper(line.text):
            problems.append("phải in hoa")
        if any_bold(line):
            problems.append("in đậm (tên cơ quan chủ quản không đậm)")
        problems += size_problem(line, 12, 13)
        if problems:
            ctx.out.add("ND30-CHUQUAN-FORMAT", "Tên cơ quan chủ quản: " + ", ".join(problems) + ".",
                        line.where, line.text)
    for line in header.agency:
        problems = []
        if not is_upper(line.text):
            problems.append("phải in hoa")
        if not all_bold(line):
            problems.append("không đậm")
        if any_italic(line):
            problems.append("in nghiêng")
        problems += size_problem(line, 12, 13)
        if problems:
            ctx.out.add("ND30-COQUAN-FORMAT", "Tên cơ quan ban hành: " + ", ".join(problems) + ".",
                        line.where, line.text)
    hline.check_rule_under(ctx, header.agency[-1], "tên cơ quan ban hành")


def check_vv(ctx: Context) -> None:
    """The "V/v …" trích yếu belongs to a công văn only: cỡ 12–13, đứng, không đậm, căn giữa."""
    vv, dtype = ctx.layout.header.vv, ctx.doc_type
    if vv is None:
        if dtype == "CV":
            ctx.out.add("ND30-VV-FORMAT", "Công văn thiếu trích yếu \"V/v …\" dưới số, ký hiệu.", "đầu văn bản")
        return
    if dtype is not None and dtype != "CV":
        ctx.out.add("ND30-TITLE-VV", f"{DOC_TYPES[dtype]} là văn bản có tên loại, không dùng trích yếu "
                    "\"V/v\".", vv.where, vv.text)
        return
    problems = []
    problems += size_problem(vv, 12, 13)
    if any_bold(vv):
        problems.append("in đậm")
    if any_italic(vv):
        problems.append("in nghiêng")
    if not vv.paragraph.props.centered:
        problems.append("không căn giữa")
    if problems:
        ctx.out.add("ND30-VV-FORMAT", "Trích yếu công văn: " + ", ".join(problems) + ".", vv.where, vv.text)


CHECKS: list[Check] = [
    check_quoc_hieu,
    check_tieu_ngu,
    check_agency,
    *so_ky_hieu.CHECKS,
    *date.CHECKS,
    check_vv,
    *hline.CHECKS,
]
