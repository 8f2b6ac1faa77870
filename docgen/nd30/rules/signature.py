"""Chữ ký: quyền hạn (TM., KT., TL., TUQ., Q.) and chức vụ in hoa, đậm, cỡ 13–14; họ tên chữ thường, đậm, không
học hàm học vị; Biên bản signed by THƯ KÝ (left) and CHỦ TỌA (right); no printed borders on the tables that lay
out the header and the signature.
"""
from __future__ import annotations

import re

from ..document import Line, Table
from ..layout import BAD_PREFIXES, VALID_PREFIX
from ..lines import all_bold, is_upper, size_problem
from ...text import fold
from .base import Check, Context

_DEGREES = re.compile(r"^(GS\.\s*TS|PGS\.\s*TS|PGS|GS|TSKH|TS|ThS|Ths|THS|Th\.S|CN|KS|BS|NCS|ThS\.BS|Ts)\s*\.\s*",)
_TITLE_WORDS = ("truong", "pho ", "chu tich", "giam doc", "thu ky", "chu toa", "chu tri", "chanh ", "uy vien",
                "bi thu", "tong ", "kiem sat vien", "nguoi ", "dai dien", "hoi dong", "uy ban", "ban ", "tm.",
                "kt.", "tl.", "tuq.", "q.", "thu truong", "can bo", "vien kiem sat", "cong chuc")


def check_present(ctx: Context) -> None:
    if not ctx.layout.signature.signers:
        ctx.out.add("ND30-SIGN-MISSING", "Không thấy phần chữ ký (quyền hạn, chức vụ, họ tên người ký).",
                    "cuối văn bản")


def _split_name(lines: tuple[Line, ...]) -> tuple[tuple[Line, ...], Line | None]:
    """(quyền hạn and chức vụ lines, the name line) — no name when the last line is itself a title."""
    name = lines[-1]
    folded_name = " " + fold(name.text) + " "
    if is_upper(name.text) and (any(f" {w}" in folded_name for w in _TITLE_WORDS) or
                                VALID_PREFIX.match(name.text) or len(lines) == 1):
        return lines, None
    return lines[:-1], name


def _check_titles(ctx: Context, titles: tuple[Line, ...]) -> None:
    for line in titles:
        text = line.text
        for pattern, why in BAD_PREFIXES:
            if pattern.match(text):
                ctx.out.add("ND30-SIGN-PREFIX", f"Quyền hạn ký \"{text.split()[0]}\" sai: {why}; dùng \"TM.\", "
                            "\"KT.\", \"TL.\", \"TUQ.\", \"Q.\".", line.where, text)
                break
        problems = []
        if not is_upper(text):
            problems.append("phải in hoa")
        if not all_bold(line):
            problems.append("không đậm")
        problems += size_problem(line, 13, 14)
        if problems:
            ctx.out.add("ND30-SIGN-FORMAT", "Quyền hạn, chức vụ người ký: " + ", ".join(problems) + ".",
                        line.where, text)


def _check_name(ctx: Context, name: Line) -> None:
    text = name.text
    degree = _DEGREES.match(text)
    if degree:
        ctx.out.add("ND30-SIGN-DEGREE", f"Không ghi học hàm, học vị \"{degree.group(0).strip()}\" "
                    "trước họ tên người ký.", name.where, text)
    problems = []
    if is_upper(text):
        problems.append("in hoa toàn bộ (viết chữ thường, hoa chữ đầu)")
    if not all_bold(name):
        problems.append("không đậm")
    problems += size_problem(name, 13, 14)
    if problems:
        ctx.out.add("ND30-SIGN-NAME", "Họ tên người ký: " + ", ".join(problems) + ".", name.where, text)


def check_signers(ctx: Context) -> None:
    for signer in ctx.layout.signature.signers:
        titles, name = _split_name(signer.lines)
        _check_titles(ctx, titles)
        if name is not None:
            _check_name(ctx, name)


def check_bb_sides(ctx: Context) -> None:
    if ctx.doc_type != "BB":
        return
    thu_ky: tuple[int, Line] | None = None
    chu_toa: tuple[int, Line] | None = None
    for signer in ctx.layout.signature.signers:
        for ln in signer.lines:
            folded = fold(ln.text)
            if folded.startswith("thu ky") and thu_ky is None:
                thu_ky = (signer.column.column, ln)
            # the chair signs as CHỦ TỌA, or for the council: "TM. HỘI ĐỒNG … / CHỦ TỊCH"
            if folded.startswith(("chu toa", "chu tri", "tm. hoi dong", "tm hoi dong")) and chu_toa is None:
                chu_toa = (signer.column.column, ln)
    if thu_ky is None or chu_toa is None:
        missing = " và ".join(n for n, v in (("THƯ KÝ", thu_ky), ("CHỦ TỌA (CHỦ TRÌ)", chu_toa)) if v is None)
        ctx.out.add("ND30-BB-SIGN", f"Biên bản thiếu chữ ký {missing}.", "cuối văn bản")
    elif thu_ky[0] > chu_toa[0]:
        ctx.out.add("ND30-BB-SIGN", "Biên bản: THƯ KÝ ký bên trái, CHỦ TỌA ký bên phải (đang đảo ngược).",
                    thu_ky[1].where, thu_ky[1].text)


def _check_table_border(ctx: Context, table: Table, what: str) -> None:
    boxed = [c for c in table.cells() if len(c.borders & {"top", "bottom", "left", "right"}) >= 3]
    if boxed:
        ctx.out.add("ND30-TABLE-BORDER", f"Bảng trình bày {what} có đường viền khi in; hãy bỏ đường viền "
                    "(Borders: None), chỉ giữ các đường kẻ ngang bắt buộc.", table.where)


def check_table_borders(ctx: Context) -> None:
    lay = ctx.layout
    for block in ctx.blocks[lay.sig_start: lay.tail_start]:
        if isinstance(block, Table):
            _check_table_border(ctx, block, "phần chữ ký")
    for block in ctx.blocks[: lay.header_end]:
        if isinstance(block, Table):
            _check_table_border(ctx, block, "phần đầu văn bản")


CHECKS: list[Check] = [check_present, check_signers, check_bb_sides, check_table_borders]
