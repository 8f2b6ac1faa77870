"""Findings, results, the rule catalogue and the two output formats (text for people, JSON for tools).

The JSON layout is a public interface (``docs/nd30-check.md``): bump :data:`JSON_VERSION` whenever a
field is renamed or removed or its meaning changes; adding a field or a rule code does not need a bump.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

JSON_VERSION = 1

LOI = "loi"
CANH_BAO = "canh_bao"

# Document types: code -> Vietnamese name.  "CV" stands for Công văn, which has no code of its own.
DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch",
    "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình",
    "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền", "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi", "PC": "Phiếu chuyển", "PB": "Phiếu báo", "CV": "Công văn",
}

# code -> (default severity, what the rule requires).  Kept in the order of docs/nd30-check.md.
RULES: dict[str, tuple[str, str]] = {
    "ND30-FILE-UNREADABLE": (LOI, "Không đọc được tệp (không tồn tại, không phải .docx, hỏng, có mật khẩu)."),
    "ND30-PKG-MACRO": (LOI, "Văn bản chứa macro (vbaProject.bin)."),
    "ND30-PKG-EXTERNAL": (LOI, "Văn bản có quan hệ ra ngoài (TargetMode=\"External\"): mẫu đính kèm, hình ảnh "
                               "… tải khi mở là lỗi; liên kết hyperlink là cảnh báo."),
    "ND30-PKG-EMBEDDED": (CANH_BAO, "Văn bản chứa đối tượng nhúng (cảnh báo) hoặc điều khiển ActiveX (lỗi)."),
    "ND30-TYPE-UNKNOWN": (CANH_BAO, "Không xác định được loại văn bản (không có tên loại, không có V/v); "
                                    "các quy tắc riêng theo loại được bỏ qua."),
    "ND30-TYPE-MISMATCH": (CANH_BAO, "Loại văn bản chỉ định (--loai) khác tên loại ghi trên văn bản."),
    "ND30-PAGE-SIZE": (LOI, "Khổ giấy phải là A4 (210 × 297 mm)."),
    "ND30-PAGE-ORIENT": (LOI, "Trang nằm ngang chỉ dùng cho phần nội dung là bảng rộng."),
    "ND30-PAGE-MARGIN": (LOI, "Lề trên, dưới 20–25 mm; lề trái 30–35 mm; lề phải 15–20 mm."),
    "ND30-FONT": (LOI, "Phông chữ phải là Times New Roman (bảng mã Unicode)."),
    "ND30-FONT-LEGACY": (LOI, "Phông chữ bảng mã cũ (.VnTime, VNI-Times, …) không đúng TCVN 6909:2001."),
    "ND30-FONT-UNSET": (CANH_BAO, "Văn bản không khai báo phông chữ; phông hiển thị phụ thuộc máy mở tệp."),
    "ND30-QUOCHIEU-MISSING": (LOI, "Thiếu Quốc hiệu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\"."),
    "ND30-QUOCHIEU-TEXT": (LOI, "Quốc hiệu viết sai (phải in hoa, đủ dấu)."),
    "ND30-QUOCHIEU-FORMAT": (LOI, "Quốc hiệu: cỡ chữ 12–13, in hoa, đứng, đậm."),
    "ND30-TIEUNGU-MISSING": (LOI, "Thiếu Tiêu ngữ \"Độc lập - Tự do - Hạnh phúc\"."),
    "ND30-TIEUNGU-TEXT": (LOI, "Tiêu ngữ phải đúng \"Độc lập - Tự do - Hạnh phúc\" (gạch nối \"-\", "
                               "có khoảng trắng hai bên, viết hoa chữ đầu mỗi cụm)."),
    "ND30-TIEUNGU-FORMAT": (LOI, "Tiêu ngữ: cỡ chữ 13–14, đứng, đậm."),
    "ND30-TIEUNGU-SPACING": (CANH_BAO, "Không để dòng trống giữa Quốc hiệu và Tiêu ngữ."),
    "ND30-COQUAN-MISSING": (LOI, "Thiếu tên cơ quan ban hành văn bản."),
    "ND30-COQUAN-FORMAT": (LOI, "Tên cơ quan ban hành: in hoa, cỡ chữ 12–13, đứng, đậm."),
    "ND30-CHUQUAN-FORMAT": (LOI, "Tên cơ quan chủ quản: in hoa, cỡ chữ 12–13, đứng, không đậm."),
    "ND30-RULE-MISSING": (LOI, "Thiếu đường kẻ ngang, nét liền dưới tên cơ quan, dưới Tiêu ngữ hoặc dưới "
                               "trích yếu (dùng đường viền đoạn văn hoặc hình vẽ)."),
    "ND30-RULE-TYPED": (CANH_BAO, "Đường kẻ ngang được gõ bằng ký tự (\"____\", như mẫu của Phụ lục III): in ra vẫn "
                                  "là một nét liền, nhưng nên dùng đường viền đoạn văn (Borders) cho đều nét."),
    "ND30-SO-MISSING": (LOI, "Thiếu số, ký hiệu văn bản (\"Số: …/…\")."),
    "ND30-SO-FORMAT": (LOI, "Số, ký hiệu văn bản viết sai dạng \"Số: 05/KH-VKSCB\" (cỡ chữ 13, đứng)."),
    "ND30-SO-PAD": (LOI, "Số văn bản nhỏ hơn 10 phải có số 0 phía trước (05, không phải 5)."),
    "ND30-SO-SPACE": (LOI, "Số, ký hiệu văn bản không được có khoảng trắng bên trong (\"QĐ - UBND\")."),
    "ND30-SO-TYPE": (LOI, "Chữ viết tắt tên loại trong ký hiệu không khớp loại văn bản (Phụ lục III)."),
    "ND30-SO-OLDCODE": (LOI, "Chữ viết tắt tên loại cũ, không còn dùng (GN, TTh, CV)."),
    "ND30-DATE-MISSING": (LOI, "Thiếu dòng địa danh, ngày tháng năm ban hành."),
    "ND30-DATE-FORMAT": (LOI, "Dòng địa danh, ngày tháng: cỡ chữ 13–14, in nghiêng, dạng "
                              "\"<Địa danh>, ngày … tháng … năm …\"."),
    "ND30-DATE-COMMA": (LOI, "Sau địa danh phải có dấu phẩy (\"Cao Bằng, ngày …\")."),
    "ND30-DATE-PAD": (LOI, "Chỉ thêm số 0 trước ngày 1–9 và tháng 1, 2 (\"ngày 05 tháng 01\", \"tháng 3\")."),
    "ND30-DATE-INVALID": (LOI, "Ngày tháng năm ban hành không có thật."),
    "ND30-DATE-BB": (CANH_BAO, "Biên bản không ghi địa danh, ngày tháng ở phần đầu (ghi trong nội dung)."),
    "ND30-VV-FORMAT": (LOI, "Trích yếu công văn \"V/v …\": cỡ chữ 12–13, đứng, không đậm, căn giữa dưới số, "
                            "ký hiệu."),
    "ND30-TITLE-FORMAT": (LOI, "Tên loại văn bản: in hoa, cỡ chữ 13–14, đậm, căn giữa."),
    "ND30-TITLE-VV": (LOI, "Văn bản có tên loại không dùng \"V/v\" trong trích yếu."),
    "ND30-TRICHYEU-FORMAT": (LOI, "Trích yếu: chữ thường, cỡ chữ 13–14, đậm, căn giữa."),
    "ND30-TRICHYEU-MISSING": (CANH_BAO, "Không thấy trích yếu nội dung dưới tên loại văn bản."),
    "ND30-KINHGUI-FORMAT": (LOI, "Dòng \"Kính gửi\": cỡ chữ 13–14, đứng."),
    "ND30-BODY-SIZE": (LOI, "Nội dung văn bản: cỡ chữ 13–14."),
    "ND30-BODY-ALIGN": (LOI, "Nội dung văn bản phải căn đều hai lề."),
    "ND30-BODY-INDENT": (LOI, "Thụt đầu dòng 1–1,27 cm."),
    "ND30-BODY-SPACING": (LOI, "Khoảng cách giữa các đoạn văn tối thiểu 6 pt."),
    "ND30-BODY-LINE": (LOI, "Khoảng cách dòng từ đơn (single) đến 1,5 dòng, không dùng \"Exactly\"."),
    "ND30-BODY-END": (LOI, "Nội dung văn bản kết thúc bằng dấu \"./.\"."),
    "ND30-CANCU-PUNCT": (LOI, "Mỗi căn cứ kết thúc bằng \";\", căn cứ cuối kết thúc bằng \".\"."),
    "ND30-CANCU-ITALIC": (CANH_BAO, "Các dòng căn cứ trình bày in nghiêng."),
    "ND30-NUMWORDS": (LOI, "Số viết bằng chữ trong ngoặc không khớp số viết bằng chữ số."),
    "ND30-NOINHAN-MISSING": (LOI, "Thiếu phần \"Nơi nhận:\"."),
    "ND30-NOINHAN-LABEL": (LOI, "Chữ \"Nơi nhận:\" cỡ chữ 12, đậm, nghiêng, có dấu hai chấm."),
    "ND30-NOINHAN-FORMAT": (LOI, "Các dòng nơi nhận cỡ chữ 11, đứng."),
    "ND30-NOINHAN-DASH": (LOI, "Mỗi nơi nhận bắt đầu bằng \"- \"."),
    "ND30-NOINHAN-PUNCT": (LOI, "Mỗi nơi nhận kết thúc bằng \";\", dòng cuối (Lưu) kết thúc bằng \".\"."),
    "ND30-NOINHAN-FIRST": (LOI, "Tờ trình, báo cáo, công văn: dòng đầu \"- Như trên;\"; quyết định: "
                                "\"- Như Điều 3;\" (Điều giao thi hành)."),
    "ND30-NOINHAN-LUU": (LOI, "Dòng cuối nơi nhận là \"- Lưu: VT, …\"."),
    "ND30-SIGN-MISSING": (CANH_BAO, "Không tìm thấy phần chữ ký (quyền hạn, chức vụ, họ tên người ký)."),
    "ND30-SIGN-PREFIX": (LOI, "Quyền hạn người ký viết tắt đúng \"TM.\", \"KT.\", \"TL.\", \"TUQ.\", \"Q.\" "
                              "và một khoảng trắng (không dùng \"K/T\", \"P.\", \"PGĐ\")."),
    "ND30-SIGN-FORMAT": (LOI, "Quyền hạn, chức vụ người ký: in hoa, cỡ chữ 13–14, đậm."),
    "ND30-SIGN-NAME": (LOI, "Họ tên người ký: chữ thường (viết hoa chữ đầu), cỡ chữ 13–14, đậm."),
    "ND30-SIGN-DEGREE": (LOI, "Không ghi học hàm, học vị (TS., ThS., …) trước họ tên người ký."),
    "ND30-BB-SIGN": (LOI, "Biên bản: THƯ KÝ ký bên trái, CHỦ TỌA (chủ trì) ký bên phải."),
    "ND30-PAGENUM-MISSING": (LOI, "Văn bản nhiều trang phải đánh số trang (trường PAGE ở đầu trang)."),
    "ND30-PAGENUM-FIRST": (LOI, "Không hiển thị số trang ở trang thứ nhất (bật \"Different First Page\")."),
    "ND30-PAGENUM-FOOTER": (LOI, "Số trang đặt ở đầu trang (phần lề trên), không đặt ở chân trang."),
    "ND30-PAGENUM-ALIGN": (LOI, "Số trang căn giữa."),
    "ND30-PAGENUM-FORMAT": (CANH_BAO, "Số trang cỡ chữ 13–14, đứng."),
    "ND30-TABLE-BORDER": (CANH_BAO, "Bảng trình bày phần đầu, phần chữ ký không có đường viền."),
    # docgen check --render (docgen/nd30/printed.py): the printed page
    "ND30-PRINT-AGENCY-WRAP": (LOI, "Khi in, một dòng tên cơ quan bị ngắt tự động; xuống dòng giữa các cụm có nghĩa."),
    "ND30-PRINT-RULE-AGENCY": (LOI, "Đường kẻ dưới dòng cuối tên cơ quan: có, dài 1/3–1/2 dòng chữ, ở giữa, "
                                    "không chạm chữ."),
    "ND30-PRINT-RULE-GAP": (LOI, "Đường kẻ dưới trích yếu không được chạm chữ."),
    "ND30-PRINT-WORD-BROKEN": (LOI, "Không từ nào bị ngắt giữa chừng trong ô bảng."),
    "ND30-PRINT-SIGN-PAGE": (LOI, "Phần chữ ký in cùng trang với đoạn cuối của nội dung."),
    "ND30-PRINT-HEADING-STRANDED": (LOI, "Đề mục không đứng một mình ở cuối trang."),
    "ND30-PRINT-UNAVAILABLE": (LOI, "Không kiểm tra được trang in (thiếu LibreOffice/poppler hoặc không xuất được PDF)."),
    "ND30-PHULUC-FORMAT": (LOI, "Phụ lục: chữ \"Phụ lục\" và tên phụ lục đậm, căn giữa; dòng \"(Kèm theo …)\" "
                                "in nghiêng, căn giữa."),
}


@dataclass
class Finding:
    code: str
    message: str
    where: str
    excerpt: str = ""
    severity: str = LOI

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "where": self.where, "excerpt": self.excerpt,
                "severity": self.severity}

    def format(self) -> str:
        label = "Lỗi" if self.severity == LOI else "Cảnh báo"
        text = f"[{label}] {self.code}"
        if self.where:
            text += f" ({self.where})"
        text += f": {self.message}"
        if self.excerpt:
            text += f" — «{self.excerpt}»"
        return text


@dataclass
class CheckResult:
    path: str
    doc_type: str | None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None          # set when the file could not be read at all

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def ok(self) -> bool:
        return self.error is None and not any(f.severity == LOI for f in self.findings)

    @property
    def doc_type_name(self) -> str | None:
        return DOC_TYPES.get(self.doc_type or "")

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "doc_type": self.doc_type,
            "doc_type_name": self.doc_type_name,
            "ok": self.ok,
            "error": self.error,
            "summary": {LOI: self.count(LOI), CANH_BAO: self.count(CANH_BAO)},
            "findings": [f.to_dict() for f in self.findings],
        }


def exit_code(results: list[CheckResult]) -> int:
    """0: every file complies; 1: a rule is broken; 2: a file could not be read (wins over 1)."""
    if any(not r.readable for r in results):
        return 2
    if any(not r.ok for r in results):
        return 1
    return 0


def to_json(results: list[CheckResult]) -> str:
    payload = {
        "version": JSON_VERSION,
        "ok": all(r.ok for r in results),
        "exit_code": exit_code(results),
        "files": [r.to_dict() for r in results],
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=2)


def to_text(results: list[CheckResult]) -> str:
    out: list[str] = []
    for result in results:
        kind = f" ({result.doc_type_name})" if result.doc_type_name else ""
        if result.error:
            out.append(f"{result.path}: KHÔNG ĐỌC ĐƯỢC — {result.error}")
            continue
        errors, warnings = result.count(LOI), result.count(CANH_BAO)
        if result.ok:
            tail = f", {warnings} cảnh báo" if warnings else ""
            out.append(f"{result.path}{kind}: ĐẠT thể thức Nghị định 30/2020/NĐ-CP{tail}.")
        else:
            out.append(f"{result.path}{kind}: KHÔNG ĐẠT — {errors} lỗi, {warnings} cảnh báo.")
        for finding in result.findings:
            out.append("  " + finding.format())
    if len(results) > 1:
        passed = sum(1 for r in results if r.ok)
        unreadable = sum(1 for r in results if not r.readable)
        line = f"Tổng cộng: {passed}/{len(results)} tệp đạt"
        if unreadable:
            line += f", {unreadable} tệp không đọc được"
        out.append(line + ".")
    return "\n".join(out)
