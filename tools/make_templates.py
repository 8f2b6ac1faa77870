"""Generate the built-in templates in ``templates/`` (run: ``python tools/make_templates.py``).

The templates are ordinary .docx files: a clerk opens them in Word, edits the prose, the styles or the
layout, and saves; docgen fills the ``{{ … }}`` and ``{%p … %}`` tags (docxtpl, Jinja syntax).  For the
built-in templates this script is the master: change it and run it again (``python tools/make_templates.py
[DIR]``); tests/test_templates.py regenerates the templates and compares them part by part with
``templates/*.docx``, and lints each one.  Every variable used here is described in
``docgen/context_schema.py`` (``docs/context.md``).
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docgen.layout import RULE_AGENCY_STYLE, RULE_TITLE_STYLE, text_width  # noqa: E402
from docx_builder import (  # noqa: E402
    HEADER_INDENT, HEADER_LEFT, HEADER_RIGHT, SIGN_LEFT, SIGN_RIGHT, TEXT_W, cant_split, cell_para,
    finalize_package, new_document, new_section_restart_numbering, para, repeat_header, rule, table, tag, vcenter,
)

OUT = Path(__file__).resolve().parent.parent / "templates"
CELL_PAD = 170          # left + right cell margins of our tables


# ------------------------------------------------------------------------------------------------------------
# Shared parts
# ------------------------------------------------------------------------------------------------------------

def header(doc, *, number: bool = True, date: bool = True) -> None:
    """Phần đầu văn bản: borderless 2-column table (ND30 Phụ lục I)."""
    t = table(doc, [HEADER_LEFT, HEADER_RIGHT], indent=HEADER_INDENT)
    left, right = t.rows[0].cells
    cell_para(left, "{%p for dong in co_quan_chu_quan_dong %}", "Dau van ban")
    cell_para(left, "{{ dong }}", "Co quan chu quan")
    cell_para(left, "{%p endfor %}", "Dau van ban")
    cell_para(left, "{%p for dong in co_quan_dong %}", "Dau van ban")
    cell_para(left, "{{ dong }}", "Co quan ban hanh")
    cell_para(left, "{%p endfor %}", "Dau van ban")
    rule(left, 1420, HEADER_LEFT - CELL_PAD, style=RULE_AGENCY_STYLE)     # resized after rendering
    if number:
        p = cell_para(left, "Số: {{ so_ky_hieu }}", "So ky hieu")
        p.paragraph_format.space_before = Pt(4)
    cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quoc hieu")
    cell_para(right, "Độc lập - Tự do - Hạnh phúc", "Tieu ngu")
    rule(right, text_width("Độc lập - Tự do - Hạnh phúc", 13, bold=True), HEADER_RIGHT - CELL_PAD)
    if date:
        cell_para(right, "{{ dia_danh_ngay_thang }}", "Dia danh ngay thang")


def title(doc, name: str, trich_yeu: list[str] | None, *, rule_after: bool = True) -> None:
    para(doc, name, "Ten loai")
    for line in trich_yeu or []:
        para(doc, line, "Trich yeu")
    if rule_after:
        rule(doc, 2930, TEXT_W, after=12, style=RULE_TITLE_STYLE)          # resized after rendering


def kinh_gui(doc) -> None:
    """One recipient: centred "Kính gửi: …"; several: "Kính gửi:" then one "- …;" a line under the colon;
    none (the "Kính gửi" key left empty): no line at all."""
    tag(doc, "{%p if not kinh_gui_ds %}")
    tag(doc, "{%p elif kinh_gui_ds|length == 1 %}")
    para(doc, "Kính gửi: {{ kinh_gui_ds[0] }}", "Kinh gui")
    tag(doc, "{%p else %}")
    tag(doc, "{%p for kg in kinh_gui_ds %}")
    p = para(doc, "", "Kinh gui nhieu")
    p.add_run("{% if loop.first %}Kính gửi:{% endif %}")
    p.add_run().add_tab()
    p.add_run("{{ kg }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def can_cu(doc, variable: str = "can_cu") -> None:
    """Căn cứ lines; ``can_cu_tiep`` when the template continues the list ("Thực hiện …;", "Xét đề nghị …")."""
    tag(doc, f"{{%p for cc in {variable} %}}")
    para(doc, "{{ cc }}", "Can cu")
    tag(doc, "{%p endfor %}")


def paragraphs(doc, variable: str, style: str = "Normal") -> None:
    """Long text kept as paragraphs: one Word paragraph per line of the cell."""
    tag(doc, f"{{%p for doan in {variable} %}}")
    para(doc, "{{ doan }}", style)
    tag(doc, "{%p endfor %}")


def keep_last_with_next(doc) -> None:
    """The last paragraph of the text (not a tag docxtpl removes) stays on the page of what follows — the
    signature block or the first row of a table — so neither is left alone on a page."""
    for p in reversed(doc.paragraphs):
        if p.text.strip() and not p.text.lstrip().startswith("{%p"):
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.keep_together = True
            return


def keep_together(t) -> None:
    """A signature table moves as one block: rows never split, every paragraph whole and kept with the next
    (the block's styles say so too; said on each paragraph, a clerk's restyling does not undo it)."""
    for row in t.rows:
        cant_split(row)
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
                p.paragraph_format.keep_together = True


def signature(doc, *, noi_nhan: bool = True, signer: str = "nguoi_ky") -> None:
    """Nơi nhận (left) and the signature (right): quyền hạn/chức vụ lines, space, name."""
    keep_last_with_next(doc)
    t = table(doc, [SIGN_LEFT, SIGN_RIGHT])
    left, right = t.rows[0].cells
    if noi_nhan:
        cell_para(left, "Nơi nhận:", "Noi nhan")
        cell_para(left, "{%p for muc in noi_nhan %}", "Noi nhan muc")
        cell_para(left, "{{ muc }}", "Noi nhan muc")
        cell_para(left, "{%p endfor %}", "Noi nhan muc")
    else:
        cell_para(left, "", "Noi nhan muc")
    signer_block(right, signer)
    keep_together(t)


def name_lines(cell, variable: str) -> None:
    """Room for the signature and seal (four empty lines), then the signer's name."""
    for _ in range(4):
        cell_para(cell, "", "Ho ten ky")
    cell_para(cell, f"{{{{ {variable} }}}}", "Ho ten ky")


def signer_block(cell, signer: str) -> None:
    signer_titles(cell, signer)
    name_lines(cell, f"{signer}.ho_ten")


def signer_titles(cell, signer: str) -> None:
    """Quyền hạn, chức vụ lines of the signer, and the note under them when there is one."""
    cell_para(cell, f"{{%p for dong in {signer}.chuc_vu %}}", "Chuc vu ky")
    cell_para(cell, "{{ dong }}", "Chuc vu ky")
    cell_para(cell, "{%p endfor %}", "Chuc vu ky")
    cell_para(cell, f"{{%p if {signer}.ghi_chu %}}", "Ghi chu ky")
    cell_para(cell, f"{{{{ {signer}.ghi_chu }}}}", "Ghi chu ky")
    cell_para(cell, "{%p endif %}", "Ghi chu ky")


def list_table(doc, headers: list[str], widths: list[int], cells: list[str], *, loop: str,
               empty: str | None = None, group_rows: list[tuple[str, str]] | None = None,
               total: list[str] | None = None):
    """A bordered table: header row (repeated on each page), then one row per item of ``loop`` ("x in xs");
    ``total``: a last row, its first text spanning every column but the last ones given."""
    keep_last_with_next(doc)
    t = table(doc, widths, rows=1, borders=True)
    hdr = t.rows[0]
    repeat_header(hdr)
    cant_split(hdr)
    for cell, text in zip(hdr.cells, headers):
        cell_para(cell, text, "Bang tieu de")
        vcenter(cell)
    var = loop.split(" in ")[1].strip()

    def merged_row(text: str, style: str, keep: bool = False) -> None:
        row = t.add_row()
        a = row.cells[0].merge(row.cells[-1])
        for p in a.paragraphs:
            p.style = style
        cell_para(a, text, style)
        if keep:                             # a heading row stays whole, on the page of the row below it
            cant_split(row)
            for p in a.paragraphs:
                p.paragraph_format.keep_with_next = True
                p.paragraph_format.keep_together = True

    def tag_row(text: str) -> None:
        row = t.add_row()
        cell_para(row.cells[0], text, "Bang")

    if empty:
        tag_row(f"{{%tr if not {var} %}}")
        merged_row(empty, "Bang giua")
        tag_row("{%tr endif %}")
    for open_tag, text in (group_rows or []):
        tag_row(open_tag)
        merged_row(text, "Bang nhom", keep=True)
    tag_row(f"{{%tr for {loop} %}}")
    row = t.add_row()
    cant_split(row)
    for i, (cell, text) in enumerate(zip(row.cells, cells)):
        style = "Bang giua" if text.startswith("{{ ") and any(
            k in text for k in ("stt", "nam", "dong_y", "ty_le", "ket_qua", "so_tien")) else "Bang"
        cell_para(cell, text, style)
    tag_row("{%tr endfor %}")
    for _ in group_rows or []:
        tag_row("{%tr endfor %}")
    if total:
        row = t.add_row()
        cant_split(row)
        label = row.cells[0].merge(row.cells[len(widths) - len(total)])
        for p in label.paragraphs:
            p.style = "Bang nhom"
        cell_para(label, total[0], "Bang nhom")
        for cell, text in zip(row.cells[len(widths) - len(total) + 1:], total[1:]):
            cell_para(cell, text, "Bang tong")
    return t


def appendix_heading(doc, doc_name: str) -> None:
    new_section_restart_numbering(doc)
    para(doc, "Phụ lục", "Phu luc")
    para(doc, "DANH SÁCH TẬP THỂ, CÁ NHÂN {{ tieu_de_danh_sach }}", "Tieu de phu luc")
    para(doc, f"(Kèm theo {doc_name} số {{{{ so_ky_hieu_day_du }}}} {{{{ ngay_thang_nam }}}} của {{{{ ban_hanh_boi }}}})",
         "Kem theo")
    rule(doc, 2930, TEXT_W, after=12, style=RULE_TITLE_STYLE)


def danh_sach_table(doc, *, money: bool = False) -> None:
    if money:
        headers = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Tiền thưởng (đồng)"]
        widths = [680, 2750, 1750, 2308, 1300]
        cells = ["{{ dong.stt }}", "{{ dong.ten }}", "{{ dong.chuc_vu }}", "{{ dong.don_vi }}",
                 "{{ dong.so_tien }}"]
    else:
        headers = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"]
        widths = [680, 3200, 2100, 2808]
        cells = ["{{ dong.stt }}", "{{ dong.ten }}", "{{ dong.chuc_vu }}", "{{ dong.don_vi }}"]
    total = ["Tổng cộng: {{ tong_de_nghi_chu }}", "{{ tong_tien_thuong }}"] if money else None
    list_table(doc, headers, widths, cells, loop="dong in phan.dong", total=total,
               group_rows=[("{%tr for nhom in danh_sach %}", "{{ nhom.so_la_ma }}. {{ nhom.hinh_thuc_in_hoa }}"),
                           ("{%tr for phan in nhom.phan %}", "{{ phan.tieu_de }}")])


def finish(doc, name: str) -> Path:
    """xml:space="preserve" on every text run (blank numbers keep their spaces), then save."""
    for part in [doc.part, *[s.header.part for s in doc.sections]]:
        for t in part.element.iter(qn("w:t")):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    finalize_package(doc)
    OUT.mkdir(exist_ok=True)
    path = OUT / name
    tmp = path.with_suffix(".docx.tmp")
    doc.save(tmp)
    tmp.replace(path)            # a build running meanwhile sees the old template or the new one, never half
    return path


# ------------------------------------------------------------------------------------------------------------
# Kế hoạch
# ------------------------------------------------------------------------------------------------------------

def ke_hoach() -> Path:
    doc = new_document("Kế hoạch phát động phong trào thi đua {{ ten_phong_trao }}")
    header(doc)
    title(doc, "KẾ HOẠCH", ["Phát động, tổ chức {{ phong_trao }}"])
    can_cu(doc)
    para(doc, "Để triển khai sâu rộng, thiết thực {{ phong_trao }}"
              "{% if nam %} năm {{ nam }}{% endif %}, {{ co_quan_ten }} ban hành Kế hoạch phát động, tổ chức "
              "phong trào thi đua (sau đây gọi tắt là Phong trào thi đua) như sau:")
    para(doc, "I. MỤC ĐÍCH, YÊU CẦU", "Muc")
    para(doc, "1. Mục đích", "Muc nho")
    para(doc, "- Phát huy truyền thống thi đua yêu nước, khơi dậy tinh thần trách nhiệm, sự chủ động, sáng tạo "
              "của cán bộ, công chức, viên chức và người lao động; phấn đấu hoàn thành xuất sắc nhiệm vụ "
              "chính trị được giao.")
    para(doc, "- Kịp thời phát hiện, biểu dương, tôn vinh, khen thưởng các tập thể, cá nhân có thành tích "
              "tiêu biểu, xuất sắc trong Phong trào thi đua; nhân rộng các mô hình hay, cách làm mới.")
    para(doc, "2. Yêu cầu", "Muc nho")
    para(doc, "- Phong trào thi đua được triển khai toàn diện, sâu rộng, thiết thực, phù hợp với tình hình thực "
              "tế của từng đơn vị; tránh phô trương, hình thức, lãng phí.")
    para(doc, "- Việc bình xét, đề nghị khen thưởng phải bảo đảm đúng quy định, dân chủ, công khai, chính xác, "
              "minh bạch, đầy đủ thủ tục, hồ sơ và đúng thời hạn.")
    para(doc, "II. NỘI DUNG THI ĐUA", "Muc")
    tag(doc, "{%p if noi_dung_thi_dua %}")
    paragraphs(doc, "noi_dung_thi_dua")
    tag(doc, "{%p else %}")
    para(doc, "1. Thi đua hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ công tác chuyên môn được giao; bảo đảm "
              "chất lượng, hiệu quả, đúng thời hạn.")
    para(doc, "2. Thi đua ứng dụng công nghệ thông tin, chuyển đổi số, đổi mới sáng tạo trong quản lý, chỉ "
              "đạo, điều hành và trong thực hiện nhiệm vụ chuyên môn.")
    para(doc, "3. Thi đua xây dựng đơn vị trong sạch, vững mạnh; chấp hành nghiêm kỷ cương, kỷ luật công vụ.")
    tag(doc, "{%p endif %}")
    para(doc, "III. TIÊU CHÍ VÀ HÌNH THỨC KHEN THƯỞNG", "Muc")
    para(doc, "1. Tiêu chí thi đua", "Muc nho")
    para(doc, "1.1. Đối với tập thể: hoàn thành xuất sắc nhiệm vụ được giao; là đơn vị tiêu biểu, dẫn đầu "
              "trong tổ chức thực hiện Phong trào thi đua; nội bộ đoàn kết, không có cán bộ, công chức vi phạm "
              "kỷ luật.")
    para(doc, "1.2. Đối với cá nhân: gương mẫu, đi đầu trong Phong trào thi đua; có sản phẩm, sáng kiến, "
              "giải pháp cụ thể được lãnh đạo đơn vị ghi nhận và đưa vào áp dụng; hoàn thành tốt nhiệm vụ "
              "được giao.")
    para(doc, "2. Hình thức khen thưởng", "Muc nho")
    tag(doc, "{%p for ht in hinh_thuc_khen_thuong %}")
    para(doc, "- {{ ht }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "IV. ĐỐI TƯỢNG, THỜI GIAN VÀ TỶ LỆ KHEN THƯỞNG", "Muc")
    para(doc, "1. Đối tượng: các tập thể, cá nhân thuộc {{ co_quan_ten }}; tập trung bình xét, khen thưởng "
              "cho tập thể, cá nhân là người lao động trực tiếp.")
    para(doc, "2. Thời gian thi đua: {% if thoi_gian_thi_dua %}{{ thoi_gian_thi_dua }}{% elif han_nop_ho_so %}từ "
              "ngày ban hành Kế hoạch đến hết ngày {{ han_nop_ho_so }}{% else %}từ ngày ban hành Kế hoạch đến hết "
              "năm {{ nam }}{% endif %}.")
    para(doc, "3. Tỷ lệ đề nghị khen thưởng")
    tag(doc, "{%p for tl in ty_le_khen_thuong %}")
    para(doc, "- {{ tl }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "Không đề nghị khen thưởng đối với tập thể, cá nhân bị kỷ luật từ hình thức khiển trách trở lên "
              "trong thời gian thi đua hoặc đang trong thời gian xem xét, xử lý kỷ luật.")
    para(doc, "V. HỒ SƠ, THỜI HẠN ĐỀ NGHỊ KHEN THƯỞNG", "Muc")
    para(doc, "1. Hồ sơ đề nghị khen thưởng được lập thành 01 bộ, gồm:")
    para(doc, "- Tờ trình của cấp trình khen thưởng (kèm theo danh sách tập thể, cá nhân được đề nghị khen "
              "thưởng);")
    para(doc, "- Biên bản họp Hội đồng Thi đua - Khen thưởng cấp trình khen thưởng;")
    para(doc, "- Báo cáo thành tích của tập thể, cá nhân được đề nghị khen thưởng.")
    para(doc, "2. Thời hạn: hồ sơ gửi về Thường trực Hội đồng Thi đua - Khen thưởng {{ co_quan_ten }} "
              "{% if han_nop_ho_so %}trước ngày {{ han_nop_ho_so }}{% else %}theo thời hạn được thông báo{% endif %}"
              "; hồ sơ gửi chậm không được xem xét.")
    para(doc, "VI. TỔ CHỨC THỰC HIỆN", "Muc")
    para(doc, "1. Thủ trưởng các đơn vị căn cứ Kế hoạch này tổ chức phát động, triển khai Phong trào thi đua "
              "phù hợp với điều kiện thực tế của đơn vị.")
    para(doc, "2. Hội đồng Thi đua - Khen thưởng {{ co_quan_ten }} theo dõi, hướng dẫn, đôn đốc, kiểm tra việc "
              "thực hiện; bình xét, đề nghị khen thưởng theo quy định.")
    para(doc, "3. Giao {{ don_vi_tham_muu }} chủ trì theo dõi, tổng hợp, báo cáo kết quả thực hiện Kế hoạch "
              "này./.")
    signature(doc)
    return finish(doc, "ke-hoach.docx")


# ------------------------------------------------------------------------------------------------------------
# Tờ trình
# ------------------------------------------------------------------------------------------------------------

def to_trinh() -> Path:
    doc = new_document("Tờ trình đề nghị khen thưởng – {{ ten_phong_trao }}")
    header(doc)
    title(doc, "TỜ TRÌNH", ["Về việc đề nghị {% if nhieu_hinh_thuc %}khen thưởng{% else %}"
                           "{{ noi_dung_trich_yeu }}{% endif %} cho tập thể, cá nhân có thành tích xuất sắc trong "
                           "{{ phong_trao }}"])
    kinh_gui(doc)
    can_cu(doc, "can_cu_tiep")
    tag(doc, "{%p if ke_hoach %}")
    para(doc, "Thực hiện Kế hoạch số {{ ke_hoach.so_ky_hieu }} {{ ke_hoach.ngay_thang_nam }} của "
              "{{ co_quan_ten }} về phát động, tổ chức {{ phong_trao }};")
    tag(doc, "{%p endif %}")
    para(doc, "Trên cơ sở kết quả thực hiện phong trào thi đua và đề nghị của Hội đồng Thi đua - Khen thưởng "
              "{{ co_quan_ten }}{% if ngay_hop %} tại cuộc họp {{ ngay_hop }}{% endif %}, {{ co_quan_ten }} kính "
              "trình {{ kinh_trinh }} xem xét, {{ noi_dung_de_nghi }} cho {{ tong_de_nghi_chu }} đã có thành "
              "tích xuất sắc trong {{ phong_trao }}, cụ thể:")
    tag(doc, "{%p for nhom in danh_sach %}")
    para(doc, "- {{ nhom.hinh_thuc }}: {{ nhom.so_luong_chu }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "(Có danh sách, biên bản họp Hội đồng Thi đua - Khen thưởng và báo cáo thành tích kèm theo).")
    para(doc, "Kính trình {{ kinh_trinh }} xem xét, quyết định./.")
    signature(doc)
    appendix_heading(doc, "Tờ trình")
    danh_sach_table(doc)
    return finish(doc, "to-trinh.docx")


# ------------------------------------------------------------------------------------------------------------
# Biên bản họp Hội đồng Thi đua - Khen thưởng
# ------------------------------------------------------------------------------------------------------------

def bien_ban() -> Path:
    doc = new_document("Biên bản họp Hội đồng Thi đua - Khen thưởng – {{ ten_phong_trao }}")
    header(doc, date=False)
    title(doc, "BIÊN BẢN", ["Họp Hội đồng Thi đua - Khen thưởng xét đề nghị khen thưởng trong {{ phong_trao }}"])
    para(doc, "Thời gian: {{ thoi_gian_hop }}.")
    para(doc, "Địa điểm: {{ dia_diem_hop }}.")
    para(doc, "Thành phần: Hội đồng Thi đua - Khen thưởng {{ co_quan_ten }} gồm {{ tong_thanh_vien_chu }} "
              "thành viên, có mặt {{ so_co_mat }} thành viên{% if thanh_vien_vang %}, vắng mặt "
              "{{ so_vang }} thành viên{% endif %}:")
    tag(doc, "{%p for tv in thanh_vien_co_mat %}")
    para(doc, "- Đồng chí {{ tv.ho_ten }}{% if tv.chuc_vu %}, {{ tv.chuc_vu }}{% endif %}"
              "{% if tv.vai_tro %} - {{ tv.vai_tro }}{% endif %}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if thanh_vien_vang %}")
    para(doc, "Vắng mặt:")
    tag(doc, "{%p for tv in thanh_vien_vang %}")
    para(doc, "- Đồng chí {{ tv.ho_ten }}{% if tv.chuc_vu %}, {{ tv.chuc_vu }}{% endif %}"
              "{% if tv.vai_tro %} - {{ tv.vai_tro }}{% endif %}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Chủ trì: Đồng chí {{ chu_tri.ho_ten }}{% if chu_tri.chuc_vu %}, {{ chu_tri.chuc_vu }}{% endif %}, "
              "Chủ tịch Hội đồng.")
    para(doc, "Thư ký: Đồng chí {{ thu_ky.ho_ten }}{% if thu_ky.chuc_vu %}, {{ thu_ky.chuc_vu }}{% endif %}.")
    para(doc, "{{ nhan_xet_so_du_hop }}")
    para(doc, "I. NỘI DUNG CUỘC HỌP", "Muc")
    para(doc, "Hội đồng đã nghe Thường trực Hội đồng báo cáo tóm tắt thành tích của {{ so_doi_tuong_chu }} "
              "được đề nghị khen thưởng; các thành viên thảo luận, đối chiếu với tiêu chuẩn, điều kiện khen thưởng "
              "và tiến hành biểu quyết. Tỷ lệ đồng ý được tính trên tổng số {{ tong_thanh_vien_chu }} thành viên "
              "Hội đồng. Kết quả biểu quyết như sau:")
    list_table(doc, ["STT", "Tập thể, cá nhân", "Hình thức đề nghị", "Đồng ý", "Không đồng ý", "Tỷ lệ đồng ý",
                     "Kết quả"],
               [600, 2650, 2000, 850, 950, 950, 788],
               ["{{ kq.stt }}", "{{ kq.ten }}", "{{ kq.hinh_thuc }}", "{{ kq.dong_y }}", "{{ kq.khong_dong_y }}",
                "{{ kq.ty_le }}", "{{ kq.ket_qua }}"],
               loop="kq in ket_qua")
    tag(doc, "{%p if phieu_van_ban %}")
    para(doc, "Số phiếu trên gồm cả phiếu của thành viên vắng mặt gửi bằng văn bản: {{ phieu_van_ban }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for ng in nguong_bieu_quyet %}")
    para(doc, "{% if loop.first %}Ngưỡng đạt: {% endif %}{{ ng.hinh_thuc }}: {{ ng.nguong }} tổng số thành viên "
              "Hội đồng đồng ý{% if loop.last %}.{% else %};{% endif %}").paragraph_format.space_before = Pt(6)
    tag(doc, "{%p endfor %}")
    para(doc, "II. KẾT LUẬN", "Muc").paragraph_format.space_before = Pt(6)
    tag(doc, "{%p if ket_luan %}")
    tag(doc, "{%p for kl in ket_luan %}")
    para(doc, "{{ kl.cau }}")
    tag(doc, "{%p for dn in kl.de_nghi %}")
    para(doc, "- {{ dn.ten_day_du }}{% if dn.ty_le %}: {{ dn.ty_le }} thành viên Hội đồng đồng ý{% endif %}"
              "{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "Không có tập thể, cá nhân nào đạt tỷ lệ biểu quyết theo quy định để đề nghị khen thưởng.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if khong_de_nghi %}")
    para(doc, "Không đề nghị khen thưởng:")
    tag(doc, "{%p for kdn in khong_de_nghi %}")
    para(doc, "- {{ kdn.ten_day_du }}: {{ kdn.ly_do }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Cuộc họp kết thúc{% if thoi_gian_ket_thuc %} vào hồi {{ thoi_gian_ket_thuc }}{% endif %} cùng ngày. "
              "Biên bản đã được đọc lại cho các thành viên dự họp nghe và nhất trí thông qua./.")
    # THƯ KÝ left (Nơi nhận under it), CHỦ TỌA right; titles in the first row, names in the second, so the
    # two names print on one line however many lines the chủ tọa's title takes
    keep_last_with_next(doc)
    t = table(doc, [SIGN_LEFT + 500, SIGN_RIGHT - 500], rows=2)
    (left, right), (left_name, right_name) = t.rows[0].cells, t.rows[1].cells
    cell_para(left, "THƯ KÝ", "Chuc vu ky")
    signer_titles(right, "ky_chu_toa")
    name_lines(left_name, "thu_ky.ho_ten")
    name_lines(right_name, "ky_chu_toa.ho_ten")
    cell_para(left_name, "", "Noi nhan muc")
    cell_para(left_name, "Nơi nhận:", "Noi nhan")
    cell_para(left_name, "{%p for muc in noi_nhan %}", "Noi nhan muc")
    cell_para(left_name, "{{ muc }}", "Noi nhan muc")
    cell_para(left_name, "{%p endfor %}", "Noi nhan muc")
    keep_together(t)
    return finish(doc, "bien-ban-hop.docx")


# ------------------------------------------------------------------------------------------------------------
# Báo cáo thành tích
# ------------------------------------------------------------------------------------------------------------

def past_awards(doc) -> None:
    para(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", "Muc")
    para(doc, "1. Danh hiệu thi đua", "Muc nho")
    widths = [1000, 3600, 4188]
    list_table(doc, ["Năm", "Danh hiệu thi đua", "Số, ngày, tháng, năm của quyết định công nhận danh hiệu thi "
                                                 "đua; cơ quan ban hành quyết định"], widths,
               ["{{ kt.nam }}", "{{ kt.ten }}", "{{ kt.quyet_dinh }}"], loop="kt in danh_hieu_da_dat",
               empty="Chưa có")
    para(doc, "2. Hình thức khen thưởng", "Muc nho").paragraph_format.space_before = Pt(6)
    list_table(doc, ["Năm", "Hình thức khen thưởng", "Số, ngày, tháng, năm của quyết định khen thưởng; cơ quan "
                                                     "ban hành quyết định"], widths,
               ["{{ kt.nam }}", "{{ kt.ten }}", "{{ kt.quyet_dinh }}"], loop="kt in hinh_thuc_da_dat",
               empty="Chưa có")


def metrics(doc) -> None:
    tag(doc, "{%p if chi_so %}")
    para(doc, "Một số chỉ tiêu, số liệu cụ thể:")
    tag(doc, "{%p for cs in chi_so %}")
    para(doc, "- {{ cs.ten }}: {{ cs.gia_tri }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def report_signatures(doc, left_var: str, right_var: str) -> None:
    """Two signature blocks side by side; titles in the first row, names in the second so they line up."""
    keep_last_with_next(doc)
    para(doc, "", "Noi nhan muc", keep_next=True)
    t = table(doc, [TEXT_W // 2, TEXT_W - TEXT_W // 2], rows=2)
    for cell, var in zip(t.rows[0].cells, (left_var, right_var)):
        cell_para(cell, f"{{%p for dong in {var}.chuc_vu %}}", "Chuc vu ky")
        cell_para(cell, "{{ dong }}", "Chuc vu ky")
        cell_para(cell, "{%p endfor %}", "Chuc vu ky")
        cell_para(cell, f"{{{{ {var}.ghi_chu }}}}", "Ghi chu ky")
    for cell, var in zip(t.rows[1].cells, (left_var, right_var)):
        name_lines(cell, f"{var}.ho_ten")
    keep_together(t)


def report_start():
    """What both report forms begin with: the header without a number (NĐ 152 forms), the title with its
    "ĐỀ NGHỊ TẶNG …" line, Kính gửi."""
    doc = new_document("Báo cáo thành tích – {{ doi_tuong.ten }}")
    header(doc, number=False)
    title(doc, "BÁO CÁO THÀNH TÍCH", ["ĐỀ NGHỊ TẶNG {{ doi_tuong.hinh_thuc_in_hoa }}"])
    kinh_gui(doc)
    return doc


def report_end(doc, name: str) -> Path:
    """What both report forms end with: metric columns, the two past-award tables, the closing sentence and
    the two signature blocks."""
    metrics(doc)
    past_awards(doc)
    para(doc, "Trên đây là báo cáo thành tích đề nghị tặng {{ doi_tuong.hinh_thuc }} của "
              "{{ doi_tuong.ten }}./.").paragraph_format.space_before = Pt(6)
    report_signatures(doc, "ky_xac_nhan", "ky_bao_cao")
    return finish(doc, name)


def bao_cao_ca_nhan() -> Path:
    doc = report_start()
    para(doc, "I. SƠ LƯỢC LÝ LỊCH", "Muc")
    para(doc, "- Họ và tên: {{ doi_tuong.ho_ten }}.")
    para(doc, "- Sinh ngày: {{ doi_tuong.ngay_sinh or '…' }}; giới tính: {{ doi_tuong.gioi_tinh or '…' }}.")
    para(doc, "- Quê quán: {{ doi_tuong.que_quan or '…' }}.")
    para(doc, "- Trú quán: {{ doi_tuong.tru_quan or '…' }}.")
    para(doc, "- Đơn vị công tác: {{ doi_tuong.don_vi }}.")
    para(doc, "- Chức vụ (Đảng, chính quyền, đoàn thể): {{ doi_tuong.chuc_vu or '…' }}.")
    para(doc, "- Trình độ chuyên môn, nghiệp vụ: {{ doi_tuong.trinh_do or '…' }}.")
    tag(doc, "{%p if doi_tuong.ngay_tuyen_dung %}")
    para(doc, "- Ngày tuyển dụng: {{ doi_tuong.ngay_tuyen_dung }}.")
    tag(doc, "{%p endif %}")
    para(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC", "Muc")
    para(doc, "1. Quyền hạn, nhiệm vụ được giao", "Muc nho")
    paragraphs(doc, "doi_tuong.nhiem_vu_doan")
    para(doc, "2. Thành tích đạt được", "Muc nho")
    paragraphs(doc, "doi_tuong.thanh_tich_doan")
    return report_end(doc, "bao-cao-ca-nhan.docx")


def bao_cao_tap_the() -> Path:
    doc = report_start()
    para(doc, "Tên tập thể: {{ doi_tuong.ten }}", "Trich yeu").paragraph_format.space_after = Pt(12)
    para(doc, "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", "Muc")
    para(doc, "1. Đặc điểm, tình hình", "Muc nho")
    para(doc, "- Địa chỉ trụ sở: {{ doi_tuong.tru_so or '…' }}; điện thoại: {{ doi_tuong.dien_thoai or '…' }}.")
    para(doc, "- Quá trình thành lập: {% if doi_tuong.nam_thanh_lap %}thành lập năm {{ doi_tuong.nam_thanh_lap }}"
              "{% else %}…{% endif %}.")
    para(doc, "- Thủ trưởng đơn vị: {{ doi_tuong.thu_truong or '…' }}.")
    para(doc, "- Tổng số cán bộ, công chức, người lao động: {{ doi_tuong.so_can_bo or '…' }}.")
    para(doc, "2. Chức năng, nhiệm vụ", "Muc nho")
    paragraphs(doc, "doi_tuong.nhiem_vu_doan")
    para(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC", "Muc")
    paragraphs(doc, "doi_tuong.thanh_tich_doan")
    return report_end(doc, "bao-cao-tap-the.docx")


# ------------------------------------------------------------------------------------------------------------
# Quyết định khen thưởng
# ------------------------------------------------------------------------------------------------------------

def quyet_dinh() -> Path:
    doc = new_document("Quyết định khen thưởng – {{ ten_phong_trao }}")
    header(doc)
    title(doc, "QUYẾT ĐỊNH", ["Về việc {% if nhieu_hinh_thuc %}khen thưởng tập thể, cá nhân có thành tích xuất "
                             "sắc trong {{ phong_trao }}{% else %}{{ noi_dung_trich_yeu }}{% endif %}"])
    para(doc, "{{ tham_quyen }}", "Ten loai").paragraph_format.space_after = Pt(12)
    can_cu(doc, "can_cu_tiep")
    para(doc, "Xét đề nghị của {{ de_nghi_cua }}.", "Can cu")
    para(doc, "QUYẾT ĐỊNH:", "Ten loai").paragraph_format.space_after = Pt(12)
    para(doc, style="Normal", runs=[("Điều 1. ", {"bold": True}),
                                    ("{{ noi_dung_quyet_dinh }} cho {{ tong_de_nghi_chu }} đã có thành tích xuất "
                                     "sắc trong {{ phong_trao }} (có danh sách kèm theo).",
                                     {})])
    tag(doc, "{%p if muc_thuong %}")
    para(doc, style="Normal", runs=[("Điều 2. ", {"bold": True}),
                                    ("Tiền thưởng kèm theo được thực hiện theo quy định của Nghị định số "
                                     "152/2025/NĐ-CP, tổng số tiền {{ tong_tien_thuong }} đồng "
                                     "({{ tong_tien_thuong_chu }}), trong đó:", {})])
    tag(doc, "{%p for mt in muc_thuong %}")
    para(doc, "- {{ mt.hinh_thuc }} ({{ mt.doi_tuong }}): {{ mt.so_tien }} đồng ({{ mt.so_tien_chu }}) × "
              "{{ mt.so_luong }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "Nguồn kinh phí: quỹ thi đua, khen thưởng của {{ co_quan_ten }}.")
    tag(doc, "{%p else %}")
    para(doc, style="Normal", runs=[("Điều 2. ", {"bold": True}),
                                    ("Tiền thưởng kèm theo được thực hiện theo quy định hiện hành, chi từ quỹ thi "
                                     "đua, khen thưởng của {{ co_quan_ten }}.", {})])
    tag(doc, "{%p endif %}")
    para(doc, style="Normal", runs=[("Điều 3. ", {"bold": True}),
                                    ("Quyết định này có hiệu lực kể từ ngày ký. {{ thi_hanh }} và các tập thể, cá "
                                     "nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.", {})])
    signature(doc)
    appendix_heading(doc, "Quyết định")
    danh_sach_table(doc, money=True)
    return finish(doc, "quyet-dinh.docx")


def main(argv: list[str] | None = None) -> None:
    """``python tools/make_templates.py [DIR]``: write the templates to DIR (default ``templates/``)."""
    global OUT
    args = sys.argv[1:] if argv is None else argv
    if args:
        OUT = Path(args[0])
    for make in (ke_hoach, to_trinh, bien_ban, bao_cao_ca_nhan, bao_cao_tap_the, quyet_dinh):
        print(make())


if __name__ == "__main__":
    main()
