"""Write docs/workbook.md, the campaign workbook contract, from docgen/schema.py (run: python tools/make_workbook_doc.py).

The schema is the single declaration of every sheet, Thông tin key and column; this page is generated from it
(``tests/test_workbook.py`` fails when the page and the schema drift apart), the same way ``docgen init``
writes its Hướng dẫn sheet from it.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import rules, schema  # noqa: E402
from docgen.documents import REGISTRY  # noqa: E402
from docgen.reader import HEADER_SCAN_ROWS  # noqa: E402
from docgen.workbook import GUIDE_SHEET, LIST_SHEET, _vocab_lists, _vocab_name  # noqa: E402

TARGET = ROOT / "docs" / "workbook.md"

KIND_NAMES = {
    "text": "chữ",
    "longtext": "chữ, nhiều dòng",
    "int": "số nguyên",
    "year": "năm",
    "date": "ngày (dd/mm/yyyy)",
    "number": "số văn bản (chữ số)",
    "presence": "Có / Vắng",
    "doc_type": "loại văn bản",
    "authority": "quyền hạn ký",
}

INTRO = f"""\
# Bảng tính hồ sơ / The campaign workbook contract

<!-- Generated from docgen/schema.py by `python tools/make_workbook_doc.py`; do not edit by hand. -->

Mỗi đợt khen thưởng là một tệp .xlsx. `docgen init` viết tệp trống đúng hợp đồng này (các sheet, dòng
tiêu đề, sheet "{GUIDE_SHEET}" và danh sách chọn ở sheet ẩn "{LIST_SHEET}"); người dùng điền bằng Excel hoặc
LibreOffice. Mọi khai báo dưới đây nằm một chỗ duy nhất, `docgen/schema.py`: bộ đọc (`docgen/reader.py`),
`docgen init` (`docgen/workbook.py`) và trang này đều đọc từ đó.

Quy tắc chung:

- Tên sheet, tên mục và tiêu đề cột so khớp **không phân biệt hoa thường, dấu và khoảng trắng thừa**
  ("Ca nhan", "CÁ NHÂN " và "Cá nhân" là một). Tên mục ở sheet Thông tin còn bỏ qua dấu câu ("Năm:" là "Năm").
- Dòng tiêu đề của sheet bảng có thể nằm dưới vài dòng tên bảng (docgen tự tìm trong {HEADER_SCAN_ROWS} dòng đầu);
  dòng trống được bỏ qua; sheet không cần cho các văn bản được yêu cầu có thể vắng mặt.
- **Cột thêm** ở sheet Đơn vị, Tập thể, Cá nhân là chỉ tiêu thi đua: giữ nguyên, đưa vào mẫu văn bản dưới tên
  không dấu của tiêu đề ("Tỷ lệ án toàn trình (%)" → `ty_le_an_toan_trinh`, trong `chi_so` của Báo cáo thành
  tích) và dùng được để xếp hạng đơn vị (sheet Quy tắc). Số giữ là số ("99,2" → 99,2), ngày giữ là ngày.
- **Mục thêm** ở sheet Thông tin là mục riêng của người dùng: đưa vào mẫu văn bản ở `thong_tin_khac.<ten_muc>`.
  Mục gần giống một mục dưới đây (gõ sai một vài chữ) được cảnh báo (`muc-khong-ro`) kèm tên mục đúng.
- Mọi lỗi được báo bằng tiếng Việt kèm sheet, dòng Excel và cột; mọi lỗi của một lần chạy được liệt kê cùng lúc,
  và không văn bản nào được viết khi còn lỗi chặn.

Cột "Cần cho": văn bản không tạo được khi mục để trống. Dấu * : bắt buộc.
"""

MAINTAINER = """\
## Cho người bảo trì / For maintainers

- Thêm một mục Thông tin: một `Key(...)` trong `schema.INFO` và một trường cùng tên trong `model.Info`
  (mục `number:<mã>` / `date:<mã>` đi vào `Info.numbers` / `Info.dates`); thêm một cột: một `Column(...)` trong
  sheet của nó và một trường trong bản ghi (`model.py`). `tests/test_schema.py` kiểm tra hai phía khớp nhau và
  không tầng nào đọc một tên cố định từ `extra`.
- Sau mỗi thay đổi: `python tools/make_workbook_doc.py` (trang này) và `python tools/make_fixtures.py`
  (hai bộ hồ sơ mẫu trong `fixtures/`, viết bằng `docgen/workbook.py`); các bài kiểm tra báo khi quên.
- Loại văn bản (mã KH, TTr, BB, BC, QĐ, văn bản nào cần người ký, Hội đồng …) khai báo ở `docgen/documents.py`;
  bộ quy tắc thi đua và danh mục hình thức khen thưởng ở `docgen/rules/` (xem `docs/quy-tac.md`); biến của mẫu
  văn bản ở `docs/context.md`.
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _needed_for(key: schema.Key) -> str:
    return ", ".join(REGISTRY.name_of(d) for d in key.needed_for)


def _kind(entry) -> str:
    name = _vocab_name(entry.vocab)
    return f"{KIND_NAMES[entry.kind]}; chọn trong danh sách \"{name}\"" if name else KIND_NAMES[entry.kind]


def _info_section() -> list[str]:
    spec = schema.INFO
    lines = [f"## {spec.name} — mỗi dòng một mục (cột \"{spec.key_header}\" | \"{spec.value_header}\")", "",
             spec.description, "",
             _row("Mục", "Kiểu", "Ý nghĩa", "Ví dụ", "Cần cho"), "| --- | --- | --- | --- | --- |"]
    for key in spec.keys:
        label = key.label + (" *" if key.required else "")
        if key.aliases:
            label += " (hoặc: " + ", ".join(key.aliases) + ")"
        lines.append(_row(label, _kind(key), key.description, key.example, _needed_for(key)))
    return lines + [""]


def _table_section(spec: schema.TableSheet) -> list[str]:
    metrics = hasattr(spec.record, "__dataclass_fields__") and "extra" in spec.record.__dataclass_fields__
    lines = [f"## {spec.name}", "", spec.description + (" Cột thêm: chỉ tiêu (xem trên)." if metrics else ""), "",
             _row("Cột", "Tên khác", "Kiểu", "Ý nghĩa", "Ví dụ"), "| --- | --- | --- | --- | --- |"]
    for col in spec.columns:
        lines.append(_row(col.header + (" *" if col.required else ""), ", ".join(col.aliases), _kind(col),
                          col.description, col.example))
    return lines + [""]


def _settings_section() -> list[str]:
    lines = [f"## {schema.RULE_SETTINGS_SHEET} (không bắt buộc)", "",
             "Chọn bộ quy tắc thi đua và thay từng giới hạn; chi tiết ở `docs/quy-tac.md`.", "",
             _row("Mục", "Ý nghĩa", "Ví dụ"), "| --- | --- | --- |"]
    for setting in rules.SETTINGS:
        lines.append(_row(setting.label, setting.description, str(setting.example or "")))
    return lines + [""]


def _vocab_section() -> list[str]:
    lines = [f"## Danh sách chọn (sheet ẩn \"{LIST_SHEET}\")", "", _row("Danh sách", "Giá trị"), "| --- | --- |"]
    for name, values in _vocab_lists().items():
        if name == "Hình thức đề nghị":
            shown = (f"{len(values)} danh hiệu, hình thức của danh mục khen thưởng (`docgen/rules/`); "
                     "chỉ là gợi ý: ghi hình thức khác vẫn được")
        else:
            shown = " · ".join(values)
        lines.append(_row(name, shown))
    return lines + [""]


def render() -> str:
    lines = [INTRO, *_info_section()]
    for spec in schema.TABLE_SHEETS:
        lines += _table_section(spec)
    lines += _settings_section() + _vocab_section() + [MAINTAINER]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
