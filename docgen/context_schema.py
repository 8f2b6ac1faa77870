"""The template context, described: every variable a template may use, per document kind.

This is the one description of what :mod:`docgen.assemble` hands the renderer.  ``docgen templates vars``
prints it, ``docs/context.md`` is generated from it (``python -m docgen.context_schema > docs/context.md``),
the template lint (:mod:`docgen.lint`) checks every variable, attribute path and loop variable of a template
against it, and tests check that the context assembled for the demo has exactly these names and types.

Keyed by the document-kind key of :mod:`docgen.documents`.  Adding a variable means: its line here, and the
value in the context function of :mod:`docgen.assemble`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Iterable

from .documents import REGISTRY


@dataclass(frozen=True)
class Var:
    name: str
    type: str                          # "str", "int", "bool", "date", "list", "obj" (fixed fields), "map" (any key)
    meaning: str
    example: str = ""
    fields: tuple["Var", ...] = ()     # obj: its fields; list: the fields of each item
    item: str = "str"                  # list without fields: the type of its items
    nullable: bool = False             # may be None (Jinja: false in {% if %})
    forms: tuple[str, ...] = ()        # per-candidate kinds: only in these forms ("ca_nhan", "tap_the")

    def field(self, name: str) -> "Var | None":
        return next((f for f in self.fields if f.name == name), None)

    @property
    def type_text(self) -> str:
        """The type as a clerk reads it."""
        if self.type == "list":
            inner = "mục" if self.fields else _TYPE_WORDS[self.item]
            text = f"danh sách {inner}"
        else:
            text = _TYPE_WORDS[self.type]
        return text + (" (có thể rỗng)" if self.nullable else "")


_TYPE_WORDS = {"str": "chữ", "int": "số", "bool": "đúng/sai", "date": "ngày", "obj": "mục", "map": "bảng tên → giá trị",
               "list": "danh sách"}
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "bool": (bool,), "date": (_dt.date,),
                                              "list": (list, tuple), "obj": (dict,), "map": (dict,)}


def V(name: str, type_: str, meaning: str, example: str = "", *fields: Var, **options: Any) -> Var:
    return Var(name, type_, meaning, example, tuple(fields), **options)


def _signer(name: str, meaning: str) -> Var:
    return V(name, "obj", meaning, "",
             V("chuc_vu", "list", "Các dòng quyền hạn, chức vụ, in hoa (KT., TM., TL., TUQ., Q., nhiều cấp)",
               '["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"]'),
             V("ho_ten", "str", 'Họ tên người ký (bỏ học vị "TS.", "ThS.")', "Phạm Mỹ An"),
             V("ghi_chu", "str", 'Dòng ghi chú dưới chức vụ ("" nếu không có)', ""))


COMMON: tuple[Var, ...] = (
    V("co_quan_chu_quan", "str", 'Cơ quan chủ quản, in hoa ("" khi không có)', "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"),
    V("co_quan_chu_quan_dong", "list", "Cơ quan chủ quản chia dòng để in ở phần đầu",
      '["VIỆN KIỂM SÁT NHÂN DÂN", "TỐI CAO"]'),
    V("co_quan", "str", "Cơ quan ban hành, in hoa", "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
    V("co_quan_dong", "list", "Cơ quan ban hành chia dòng (ngắt trước TỈNH, THÀNH PHỐ, HUYỆN…; người dùng gõ "
      'xuống dòng hoặc " / " thì theo người dùng)', '["VIỆN KIỂM SÁT NHÂN DÂN", "TỈNH CAO BẰNG"]'),
    V("co_quan_ten", "str", 'Tên cơ quan viết thường trong câu (mục "Tên cơ quan" ở sheet Thông tin nếu có)',
      "Viện kiểm sát nhân dân tỉnh Cao Bằng"),
    V("ky_hieu_co_quan", "str", "Ký hiệu cơ quan", "VKSCB"),
    V("don_vi_soan_thao", "str", 'Đơn vị soạn thảo (dùng ở dòng "Lưu")', "VP"),
    V("don_vi_tham_muu", "str", 'Đơn vị tham mưu (mục "Đơn vị tham mưu", mặc định "Văn phòng")', "Văn phòng"),
    V("dia_danh", "str", "Địa danh", "Cao Bằng"),
    V("ma_loai", "str", "Chữ viết tắt tên loại văn bản", "TTr"),
    V("so", "str", 'Số văn bản, có số 0 phía trước khi nhỏ hơn 10; "" khi để trống cho văn thư', "05"),
    V("so_ky_hieu", "str", "Số và ký hiệu (để trống số thì chừa khoảng trắng)", "12/TTr-VKSCB"),
    V("so_ky_hieu_day_du", "str", 'Như trên, số trống thì in "…" (dùng trong câu "Kèm theo … số …")',
      "12/TTr-VKSCB"),
    V("ngay_van_ban", "date", "Ngày của văn bản (kiểu ngày; dùng với bộ lọc ngay_thang, ngay)", "2026-09-28"),
    V("ngay_thang_nam", "str", "Ngày viết đủ theo NĐ 30", "ngày 28 tháng 9 năm 2026"),
    V("dia_danh_ngay_thang", "str", "Dòng địa danh, ngày tháng", "Cao Bằng, ngày 28 tháng 9 năm 2026"),
    V("nam", "int", "Năm thi đua", "2026"),
    V("ten_phong_trao", "str", "Tên phong trào (bỏ ngoặc kép người dùng gõ quanh tên)",
      "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"),
    V("phong_trao", "str", "Cụm từ gọi phong trào trong câu",
      "phong trào thi đua “Cả nước thi đua đổi mới sáng tạo và chuyển đổi số”"),
    V("loai_khen_thuong", "str", "Loại khen thưởng", "Chuyên đề"),
    V("kinh_gui", "str", "Kính gửi, như đã gõ", "Viện trưởng Viện kiểm sát nhân dân tối cao"),
    V("kinh_gui_ds", "list", 'Kính gửi tách từng nơi (nhiều nơi: "- …;" và "." ở nơi cuối; rỗng khi không có)',
      '["Viện trưởng Viện kiểm sát nhân dân tối cao"]'),
    V("kinh_trinh", "str", 'Người/cơ quan được trình trong câu "Kính trình … xem xét"',
      "Viện trưởng Viện kiểm sát nhân dân tối cao"),
    V("cap_trinh_khen", "str", "Cấp trình khen", "Viện kiểm sát nhân dân tối cao"),
    V("han_nop", "date", "Hạn nộp hồ sơ (kiểu ngày)", "2026-09-30", nullable=True),
    V("han_nop_ho_so", "str", 'Hạn nộp hồ sơ dạng dd/mm/yyyy ("" khi không có)', "30/09/2026"),
    V("can_cu", "list", 'Các dòng căn cứ, dòng nào cũng kết thúc ";" trừ dòng cuối "."',
      '["Căn cứ Luật Thi đua, khen thưởng …;", …]'),
    V("can_cu_tiep", "list", 'Như can_cu nhưng dòng cuối cũng kết thúc ";" — dùng khi mẫu viết tiếp danh sách '
      '("Thực hiện Kế hoạch …;", "Xét đề nghị của …")', '["…;", "…;"]'),
    V("noi_nhan", "list", 'Nơi nhận đã chuẩn hóa: "- …;", "- Như trên;" đứng đầu (Tờ trình, Báo cáo), '
      '"- Như Điều 3;" (Quyết định), "- Lưu: VT, <đơn vị soạn thảo>." cuối cùng, một lần',
      '["- Như trên;", …, "- Lưu: VT, VP."]'),
    _signer("nguoi_ky", "Người ký văn bản (sheet Người ký)"),
    V("thong_tin_khac", "map", "Các mục khác của sheet Thông tin, theo tên không dấu: thong_tin_khac.ten_muc",
      '{"ten_co_quan": …}'),
    V("tieu_de", "str", "Tên văn bản (thuộc tính Tiêu đề của tệp)", "Tờ trình"),
)

_ROW = (
    V("stt", "str", "Số thứ tự trong phần", "1"),
    V("ten", "str", "Họ tên / tên tập thể", "Nông Thị Hồng Nhung"),
    V("chuc_vu", "str", "Chức vụ", "Kiểm sát viên"),
    V("don_vi", "str", "Đơn vị", "Phòng 1"),
    V("hinh_thuc", "str", "Hình thức đề nghị", "Bằng khen của Viện trưởng …"),
    V("loai", "str", '"Tập thể" hoặc "Cá nhân"', "Cá nhân"),
    V("ty_le", "str", "Tỷ lệ đồng ý", "85,71%"),
    V("tien_thuong", "int", "Tiền thưởng (số đồng)", "760000", nullable=True),
    V("so_tien", "str", "Tiền thưởng đã định dạng", "760.000"),
)

PROPOSALS: tuple[Var, ...] = (
    V("danh_sach", "list", "Danh sách đề nghị, theo từng hình thức", "",
      V("so_la_ma", "str", "Số La Mã của nhóm", "I"),
      V("hinh_thuc", "str", "Hình thức", "Bằng khen của Viện trưởng …"),
      V("hinh_thuc_in_hoa", "str", "Hình thức, in hoa", "BẰNG KHEN CỦA VIỆN TRƯỞNG …"),
      V("so_tap_the", "int", "Số tập thể của nhóm", "1"),
      V("so_ca_nhan", "int", "Số cá nhân của nhóm", "3"),
      V("so_luong_chu", "str", "Số lượng kèm chữ", "01 (một) tập thể và 03 (ba) cá nhân"),
      V("phan", "list", 'Phần "Tập thể" rồi phần "Cá nhân"', "",
        V("loai", "str", '"tap_the" hoặc "ca_nhan"', "ca_nhan"),
        V("tieu_de", "str", "Tiêu đề phần", "Cá nhân (03)"),
        V("dong", "list", "Các hàng của phần (một hàng mỗi đối tượng)", "", *_ROW))),
    V("so_tap_the", "int", "Số tập thể được đề nghị (đủ điều kiện và đạt biểu quyết)", "3"),
    V("so_ca_nhan", "int", "Số cá nhân được đề nghị", "6"),
    V("so_tap_the_chu", "str", "Số tập thể kèm chữ", "03 (ba)"),
    V("so_ca_nhan_chu", "str", "Số cá nhân kèm chữ", "06 (sáu)"),
    V("tong_de_nghi", "int", "Tổng số được đề nghị", "9"),
    V("tong_de_nghi_chu", "str", "Tổng số viết thành câu", "03 (ba) tập thể và 06 (sáu) cá nhân"),
    V("hinh_thuc_de_nghi", "list", "Các hình thức đề nghị", '["Bằng khen của Viện trưởng …"]'),
    V("hinh_thuc_chung", "str", 'Các hình thức nối bằng "và"', "Bằng khen của Viện trưởng …"),
    V("tieu_de_danh_sach", "str", "Dòng tiêu đề phụ lục", "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA …"),
)

KE_HOACH: tuple[Var, ...] = (
    V("hinh_thuc_khen_thuong", "list", 'Các hình thức khen thưởng (mục "Hình thức khen thưởng" ở Thông tin, ngăn '
      'bằng ";"; nếu không có: các hình thức ở sheet Tập thể/Cá nhân)', '["Bằng khen của Viện trưởng …"]'),
    V("ty_le_khen_thuong", "list", "Các tỷ lệ, số lượng tối đa của bộ quy tắc đang dùng",
      '["Tập thể: không quá 3 tập thể", …]'),
    V("noi_dung_thi_dua", "list", 'Mục "Nội dung thi đua" ở Thông tin, mỗi dòng một đoạn (trống: dùng đoạn văn '
      "có sẵn trong mẫu)", "[]"),
    V("thoi_gian_thi_dua", "str", 'Mục "Thời gian thi đua" (trống: "từ ngày ban hành Kế hoạch đến hết ngày '
      '<hạn nộp>")', ""),
)

TO_TRINH: tuple[Var, ...] = (
    V("ke_hoach", "obj", "Kế hoạch đã ban hành (khi có số KH), không có thì rỗng", "",
      V("so_ky_hieu", "str", "Số, ký hiệu của Kế hoạch", "05/KH-VKSCB"),
      V("ngay_thang_nam", "str", "Ngày của Kế hoạch", "ngày 10 tháng 3 năm 2026"), nullable=True),
    V("ngay_hop", "str", 'Ngày họp Hội đồng lấy từ "Thời gian họp" ("" khi không có)', "ngày 25/9/2026"),
)

_MEMBER = (
    V("stt", "str", "Số thứ tự", "1"),
    V("ho_ten", "str", "Họ tên", "Hoàng Văn Đức"),
    V("chuc_vu", "str", "Chức vụ", "Viện trưởng"),
    V("vai_tro", "str", "Vai trò trong Hội đồng", "Chủ tịch"),
    V("co_mat", "bool", "Có mặt", "True"),
    V("co_mat_chu", "str", '"Có mặt" hoặc "Vắng mặt"', "Có mặt"),
)
_PERSON = (V("ho_ten", "str", "Họ tên", "Hoàng Văn Đức"), V("chuc_vu", "str", "Chức vụ", "Viện trưởng"))

BIEN_BAN: tuple[Var, ...] = (
    V("thoi_gian_hop", "str", 'Mục "Thời gian họp" ở Thông tin', "14 giờ 00, ngày 25/9/2026"),
    V("dia_diem_hop", "str", 'Mục "Địa điểm họp"', "Phòng họp tầng 2"),
    V("thoi_gian_ket_thuc", "str", 'Mục "Thời gian kết thúc"', "16 giờ 30"),
    V("thanh_vien", "list", "Thành viên Hội đồng", "", *_MEMBER),
    V("thanh_vien_co_mat", "list", "Thành viên có mặt", "", *_MEMBER),
    V("thanh_vien_vang", "list", "Thành viên vắng mặt", "", *_MEMBER),
    V("tong_thanh_vien", "int", "Tổng số thành viên Hội đồng", "7"),
    V("tong_thanh_vien_chu", "str", "Tổng số thành viên kèm chữ", "07 (bảy)"),
    V("so_co_mat", "str", "Số có mặt / tổng số", "06/07"),
    V("so_vang", "str", "Số vắng mặt", "01"),
    V("du_so_thanh_vien", "bool", "Đủ 2/3 thành viên có mặt", "True"),
    V("nhan_xet_so_du_hop", "str", "Câu nhận xét về số thành viên có mặt", "Số thành viên có mặt bảo đảm …"),
    V("chu_tri", "obj", "Chủ tịch Hội đồng (chủ trì, ký CHỦ TỌA)", "", *_PERSON),
    V("thu_ky", "obj", "Thư ký Hội đồng", "", *_PERSON),
    V("ket_qua", "list", "Kết quả biểu quyết từng đối tượng", "",
      V("stt", "str", "Số thứ tự", "1"), V("ten", "str", "Tên", "Phòng Thống kê"),
      V("hinh_thuc", "str", "Hình thức đề nghị", "Bằng khen …"), V("loai", "str", '"Tập thể"/"Cá nhân"', "Tập thể"),
      V("dong_y", "str", "Số đồng ý", "06"), V("khong_dong_y", "str", "Số không đồng ý", "00"),
      V("ty_le", "str", "Tỷ lệ đồng ý trên tổng số thành viên", "85,71%"),
      V("nguong", "str", "Ngưỡng đạt", "> 50%"), V("ket_qua", "str", '"Đạt"/"Không đạt"', "Đạt")),
    V("so_doi_tuong_chu", "str", "Số đối tượng được xét", "03 (ba) tập thể và 08 (tám) cá nhân"),
    V("nguong_bieu_quyet", "list", "Ngưỡng đạt của từng hình thức", "",
      V("hinh_thuc", "str", "Hình thức", "Bằng khen …"), V("nguong", "str", "Ngưỡng", "> 50%")),
    V("de_nghi", "list", "Được đề nghị", "",
      V("ten_day_du", "str", "Tên đầy đủ", "Đồng chí Nông Thị Hồng Nhung, Kiểm sát viên, Phòng 1"),
      V("ty_le", "str", "Tỷ lệ đồng ý", "85,71%"), V("hinh_thuc", "str", "Hình thức", "Bằng khen …")),
    V("khong_de_nghi", "list", "Không được đề nghị", "",
      V("ten_day_du", "str", "Tên đầy đủ", "Đồng chí …"), V("ly_do", "str", "Lý do", "không đạt tỷ lệ biểu quyết")),
)

QUYET_DINH: tuple[Var, ...] = (
    V("tham_quyen", "str", 'Dòng thẩm quyền ban hành, in hoa (mục "Thẩm quyền ban hành" ở Thông tin thay được)',
      "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
    V("de_nghi_cua", "str", '"Xét đề nghị của …"', "Hội đồng Thi đua - Khen thưởng …"),
    V("thi_hanh", "str", "Người thi hành ở Điều 3", "Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan"),
    V("muc_thuong", "list", "Từng mức thưởng", "",
      V("hinh_thuc", "str", "Hình thức", "Bằng khen …"), V("doi_tuong", "str", '"tập thể"/"cá nhân"', "cá nhân"),
      V("so_tien", "str", "Số tiền mỗi người", "760.000"), V("so_tien_chu", "str", "Số tiền bằng chữ",
                                                             "Bảy trăm sáu mươi nghìn đồng"),
      V("so_luong", "str", "Số lượng", "06 cá nhân")),
    V("tong_tien_thuong", "str", "Tổng tiền thưởng", "9.870.000"),
    V("tong_tien_thuong_chu", "str", "Tổng tiền thưởng bằng chữ", "Chín triệu tám trăm bảy mươi nghìn đồng"),
)

_CN, _TT = ("ca_nhan",), ("tap_the",)
_AWARD_ROW = (V("nam", "str", "Năm", "2024"), V("ten", "str", "Danh hiệu / hình thức", "Lao động tiên tiến"),
              V("quyet_dinh", "str", "Số, ngày quyết định; cơ quan ban hành",
                "Quyết định số 45/QĐ-VKSCB ngày 20/12/2024 của VKSND tỉnh Cao Bằng"))

BAO_CAO: tuple[Var, ...] = (
    V("doi_tuong", "obj", "Tập thể / cá nhân được báo cáo", "",
      V("ten", "str", "Tên tập thể / họ tên", "Nông Thị Hồng Nhung"),
      V("ho_ten", "str", "Họ tên (tập thể: tên tập thể)", "Nông Thị Hồng Nhung"),
      V("hinh_thuc", "str", "Hình thức đề nghị", "Bằng khen …"),
      V("hinh_thuc_in_hoa", "str", "Hình thức đề nghị, in hoa", "BẰNG KHEN …"),
      V("thanh_tich_doan", "list", "Thành tích, mỗi dòng của ô một đoạn", '["Năm 2026 …"]'),
      V("nhiem_vu_doan", "list", 'Quyền hạn, nhiệm vụ (cá nhân: cột "Nhiệm vụ" nếu có) / chức năng, nhiệm vụ '
        "(tập thể), mỗi dòng một đoạn", '["Kiểm sát viên …"]'),
      V("don_vi", "str", "Đơn vị", "Phòng 1"),
      V("ky_luat", "str", "Nội dung kỷ luật", ""),
      V("de_nghi", "bool", "Có được đề nghị", "True"),
      V("la_tap_the", "bool", "Là tập thể", "False"),
      V("gioi_tinh", "str", "Giới tính", "Nữ", forms=_CN),
      V("ngay_sinh", "str", "Ngày sinh (dd/mm/yyyy)", "05/03/1986", forms=_CN),
      V("que_quan", "str", "Quê quán", "Cao Bằng", forms=_CN),
      V("tru_quan", "str", "Trú quán", "Cao Bằng", forms=_CN),
      V("chuc_vu", "str", "Chức vụ", "Kiểm sát viên", forms=_CN),
      V("trinh_do", "str", "Trình độ chuyên môn", "Cử nhân Luật", forms=_CN),
      V("ngay_tuyen_dung", "str", "Ngày tuyển dụng (dd/mm/yyyy)", "01/09/2010", forms=_CN),
      V("tru_so", "str", "Địa chỉ trụ sở", "Số 1 …", forms=_TT),
      V("dien_thoai", "str", "Điện thoại", "0206 …", forms=_TT),
      V("nam_thanh_lap", "str", "Năm thành lập", "1960", forms=_TT),
      V("thu_truong", "str", "Thủ trưởng", "Hoàng Văn Đức", forms=_TT),
      V("so_can_bo", "str", "Tổng số cán bộ", "12", forms=_TT)),
    V("chi_so", "list", "Các cột chỉ tiêu thêm vào sheet", '[{"ten": "Số sáng kiến", "gia_tri": "1"}]',
      V("ten", "str", "Tiêu đề cột", "Số sáng kiến"), V("gia_tri", "str", "Giá trị đã định dạng", "1"),
      V("ma", "str", "Tên không dấu của cột", "so_sang_kien")),
    V("danh_hieu_da_dat", "list", "Danh hiệu thi đua đã đạt (sheet Khen thưởng)", "", *_AWARD_ROW),
    V("hinh_thuc_da_dat", "list", "Hình thức khen thưởng đã đạt (sheet Khen thưởng)", "", *_AWARD_ROW),
    _signer("ky_xac_nhan", 'Khối chữ ký bên trái: thủ trưởng xác nhận (người ký "BC", không có thì lần lượt '
            '"TTr", "KH", "QĐ")'),
    _signer("ky_bao_cao", "Khối chữ ký bên phải: người báo cáo (cá nhân) / thủ trưởng đơn vị (tập thể)"),
)

SECTIONS: dict[str, tuple[str, tuple[Var, ...]]] = {
    "chung": ("Mọi văn bản", COMMON),
    "danh-sach": ("Danh sách đề nghị (Tờ trình, Biên bản, Quyết định)", PROPOSALS),
}
"""The parts of the context several kinds share; each kind names its parts (``DocumentKind.context_sections``)
and describes its own variables (``DocumentKind.variables``) in :mod:`docgen.documents`."""

FORMS = ("ca_nhan", "tap_the")
"""The forms of a per-candidate kind, in the order of its ``templates``."""

FILTERS: dict[str, tuple[str, str]] = {
    "so_chu": ("số thành chữ", "{{ 2024|so_chu }} → hai nghìn không trăm hai mươi tư"),
    "tien_chu": ("tiền thành chữ (tien_chu(chan=True) thêm \"chẵn\")",
                 "{{ 760000|tien_chu }} → Bảy trăm sáu mươi nghìn đồng"),
    "so": ("dấu chấm phân cách hàng nghìn", "{{ 2530000|so }} → 2.530.000"),
    "ngay_thang": ("ngày viết đủ (số 0 chỉ ở ngày 1–9, tháng 1–2)",
                   "{{ ngay_van_ban|ngay_thang }} → ngày 05 tháng 01 năm 2026"),
    "ngay": ("ngày dd/mm/yyyy", "{{ ngay_van_ban|ngay }} → 05/01/2026"),
    "in_hoa": ("in hoa giữ dấu", "{{ nguoi_ky.ho_ten|in_hoa }} → PHẠM MỸ AN"),
    "hai_chu_so": ("hai chữ số", "{{ 5|hai_chu_so }} → 05"),
    "so_kem_chu": ("số kèm chữ", "{{ 4|so_kem_chu }} → 04 (bốn)"),
    "phan_tram": ("phần trăm", "{{ 85.714|phan_tram }} → 85,7%"),
    "sap_xep_ten": ("sắp danh sách người theo thứ tự tiếng Việt (tên, tên đệm, họ)",
                    "{%p for tv in thanh_vien|sap_xep_ten('ho_ten') %}"),
}
"""The docgen filters a clerk may use (besides Jinja's own: length, upper, default, join…)."""


def kind_keys() -> tuple[str, ...]:
    return REGISTRY.keys


def describe(kind_key: str, form: str | None = None) -> dict[str, Var]:
    """The variables of one document kind (``form``: "ca_nhan"/"tap_the" for a per-candidate kind)."""
    kind = REGISTRY.get(kind_key)
    out: dict[str, Var] = {}
    for section in kind.context_sections:
        for var in SECTIONS[section][1]:
            out[var.name] = _for_form(var, form)
    for var in kind.own_variables():
        out[var.name] = _for_form(var, form)
    return out


def _for_form(var: Var, form: str | None) -> Var:
    if not var.fields or form is None:
        return var
    fields = tuple(_for_form(f, form) for f in var.fields if not f.forms or form in f.forms)
    return Var(var.name, var.type, var.meaning, var.example, fields, var.item, var.nullable, var.forms)


def for_template(file_name: str) -> tuple[str, str | None] | None:
    """(kind key, form) of the document kind a template file name belongs to, or None."""
    for kind in REGISTRY:
        if file_name in kind.templates:
            form = FORMS[kind.templates.index(file_name)] if kind.per_candidate else None
            return kind.key, form
    return None


def union() -> dict[str, Var]:
    """Every variable of every kind (for a template whose file name matches no kind)."""
    out: dict[str, Var] = {}
    for key in kind_keys():
        for name, var in describe(key).items():
            out.setdefault(name, var)
    return out


def flatten(variables: Iterable[Var], prefix: str = "") -> list[tuple[str, Var]]:
    """("danh_sach[].phan[].dong[].ten", Var) for every variable and field, depth first."""
    rows = []
    for var in variables:
        path = f"{prefix}{var.name}"
        rows.append((path, var))
        if var.fields:
            rows += flatten(var.fields, path + ("[]." if var.type == "list" else "."))
    return rows


def type_ok(var: Var, value: Any) -> bool:
    """Whether ``value`` (from an assembled context) has the described type."""
    if value is None:
        return var.nullable
    if var.type == "int" and isinstance(value, bool):
        return False
    if var.type == "date" and isinstance(value, _dt.datetime):
        return False
    return isinstance(value, _PYTHON_TYPES[var.type])


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """``docs/context.md``."""
    lines = [_INTRO.rstrip(), ""]
    parts = [(title, variables, [k for k in REGISTRY if section in k.context_sections])
             for section, (title, variables) in SECTIONS.items()]
    parts += [(k.name, k.own_variables(), [k]) for k in REGISTRY]
    for title, variables, kinds in parts:
        files = ", ".join(f"`{t}`" for k in kinds for t in k.templates)
        lines += [f"## {title}", "", f"Dùng trong: {files}.", "",
                  "| Biến | Kiểu | Ý nghĩa | Ví dụ (bộ hồ sơ mẫu) |", "| --- | --- | --- | --- |"]
        for path, var in flatten(variables):
            meaning = var.meaning
            if var.forms:
                meaning += " (chỉ " + ", ".join("cá nhân" if f == "ca_nhan" else "tập thể" for f in var.forms) + ")"
            example = f"`{_cell(var.example)}`" if var.example else ""
            lines.append(f"| `{path}` | {var.type_text} | {_cell(meaning)} | {example} |")
        lines.append("")
    lines += ["## Bộ lọc / Filters", "", "| Bộ lọc | Kết quả | Ví dụ |", "| --- | --- | --- |"]
    for name, (meaning, example) in FILTERS.items():
        lines.append(f"| `{name}` | {_cell(meaning)} | `{_cell(example)}` |")
    lines += ["", "Ngoài ra có các bộ lọc sẵn của Jinja: `length`, `upper`, `lower`, `default`, `join`, `first`, "
              "`last`, `replace`, `trim`…", ""]
    return "\n".join(lines)


_INTRO = """\
# Biến và bộ lọc dùng trong mẫu văn bản / Template context

<!-- Tệp này được tạo từ docgen/context_schema.py: python -m docgen.context_schema > docs/context.md
     (đừng sửa tay; một bài kiểm thử báo lỗi khi tệp khác với mã). -->

Mẫu văn bản (`templates/*.docx`) là tệp Word thường. Chỗ cần điền viết bằng thẻ Jinja (cú pháp của
docxtpl); cách sửa mẫu trong Word: [mau-van-ban.md](mau-van-ban.md). Xem danh sách này ngay trong máy:
`docgen templates vars [TÊN_MẪU]`; kiểm tra một mẫu đã sửa: `docgen templates lint MẪU.docx`.

| Viết trong Word | Ý nghĩa |
| --- | --- |
| `{{ ten_phong_trao }}` | in giá trị của biến |
| `{{ ngay_van_ban\\|ngay_thang }}` | in giá trị qua một bộ lọc (xem cuối trang) |
| `{%p for muc in noi_nhan %}` … `{%p endfor %}` | lặp lại **đoạn văn** ở giữa cho từng phần tử (mỗi thẻ `{%p … %}` đứng một mình một đoạn; đoạn chứa thẻ bị xóa khi tạo văn bản) |
| `{%p if ke_hoach %}` … `{%p endif %}` | chỉ giữ các đoạn ở giữa khi điều kiện đúng |
| `{%tr for dong in phan.dong %}` … `{%tr endfor %}` | lặp lại **hàng bảng** (mỗi thẻ nằm trong một hàng riêng, hàng đó bị xóa) |
| `{% if loop.last %}.{% else %};{% endif %}` | điều kiện ngay trong một đoạn |

Trong vòng lặp có thêm biến `loop`: `loop.index` (1, 2, …), `loop.first`, `loop.last`, `loop.length`.

Quy tắc an toàn: mẫu chạy trong môi trường Jinja **hộp cát** (không truy cập được thuộc tính nội bộ của Python),
biến không có trong danh sách dưới đây là **lỗi** (docgen báo tên mẫu, tên biến và đoạn văn gần đó, không tạo
văn bản nào), mọi giá trị lấy từ bảng tính được in **nguyên văn đúng một lần**: `&`, `<`, dấu nháy và cả chuỗi
trông như thẻ (`{{ 6*7 }}`) đều hiện đúng như đã gõ. Ô nhiều dòng giữ các dòng thành đoạn văn riêng
(các biến `…_doan`).

Tên biến: tiếng Việt không dấu, viết thường, nối bằng `_`. Các cột thêm vào bảng tính (ngoài các cột đã khai báo
ở [`docs/workbook.md`](workbook.md)) đi vào mẫu dưới tên không dấu của tiêu đề cột: cột "Số sáng kiến" →
`so_sang_kien` (trong `chi_so` của Báo cáo thành tích); mục thêm ở sheet Thông tin (không có trong
`docs/workbook.md`) → `thong_tin_khac.<ten_muc>`.

Kiểu: *chữ*, *số*, *đúng/sai*, *ngày* (in qua bộ lọc `ngay_thang` hoặc `ngay`), *danh sách* (dùng với
`{%p for … in … %}`), *mục* (có các trường, viết `bien.truong`). Dòng `a[].b` là trường `b` của từng phần tử
trong danh sách `a`.
"""


if __name__ == "__main__":          # python -m docgen.context_schema > docs/context.md
    import sys

    sys.stdout.write(markdown())
