"""The legacy-font decision, per cell: real Vietnamese words in TCVN3, in VNI and in Unicode under legacy
fonts (clerks paste Unicode into old .VnTime workbooks), and a mixed workbook read end to end."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from docgen import vietnamese as vn
from docgen.reader import load_campaign
from wb_helpers import MINIMAL_INFO, make_workbook

SEEDS = Path("/work/shared/seeds")
# Words of real administrative text (written here so the test does not depend on files outside the repo).
TEXT = """
Căn cứ Luật Thi đua khen thưởng ngày tháng năm Nghị định số của Chính phủ quy định chi tiết một số điều
Viện kiểm sát nhân dân tỉnh Cao Bằng ban hành Kế hoạch phát động tổ chức phong trào thi đua cả nước đổi mới
sáng tạo và chuyển đổi số mục đích yêu cầu phát huy truyền thống yêu nước tăng cường sự lãnh đạo của Đảng
đối với các cấp trong phát triển khoa học công nghệ tạo khí thế sôi nổi tinh thần trách nhiệm điều kiện
thuận lợi nhất phấn đấu hoàn thành tốt mục tiêu ứng dụng thông tin quản lý chỉ đạo điều hành kịp thời biểu
dương tôn vinh tập thể cá nhân có thành tích tiêu biểu xuất sắc nhằm lan tỏa toàn ngành được triển khai
diện sâu rộng đến cán bộ công chức người lao động nên học tập rèn luyện kỹ năng tích cực tham gia tiến
trình đặc biệt giữ chức vụ phải là tiên phong gương mẫu thực hiện góp phần tự nâng cao tri thức việc linh
hoạt phù hợp với tình hình thực tế từng đơn vị thường xuyên kiểm tra đánh giá bảo đảm hiệu quả không đề
nghị khen thưởng đối tượng bị kỷ luật khiển trách cảnh cáo hồ sơ thời hạn tờ trình biên bản họp hội đồng
báo cáo quyết định danh sách giấy khen bằng khen chiến sĩ cơ sở lao động tiên tiến văn phòng phòng thống kê
tội phạm hình sự điều tra xét xử án dân sự hành chính kinh doanh thương mại giám đốc sở văn hóa thể thao du
lịch thư viện bảo tàng nhà hát trung tâm huấn luyện chủ tịch ủy ban phó trưởng thư ký thành viên đồng ý tỷ
lệ đạt kết quả biểu quyết nội dung thảo luận thống nhất kính gửi nơi nhận lưu như trên Nguyễn Trần Lê Phạm
Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Nông Hạnh Hùng Lương Thắng Đàm Bế Long Triệu Mai Khánh
Lục Ngọc Ánh Đinh Tuấn Hà Thu Hồng Nhung Mạc Sơn Đức Hiền Thủy Linh Quân Dũng Tùng Hải Yến Trang Phương
người dân giải quyết khiếu nại tố cáo việc làm chế độ chính sách tiền lương hỗ trợ kinh phí nguồn quỹ
"""
WORDS = sorted({w.lower() for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", TEXT))
                if vn.is_vietnamese_syllable(w.lower())})


def tcvn3(word: str) -> str:
    return "".join(vn._TCVN3_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", word))


def vni(word: str) -> str:
    return "".join(vn._VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", word))


def test_the_sample_is_large_enough():
    assert len(WORDS) >= 200, len(WORDS)


def _legacy_cases(encode, font):
    """(wrong, doubtful): words decoded to something else; words kept because their bytes also read as a
    Unicode word (TCVN3 "dòng" is "dũng"), each with the right reading offered in the warning."""
    wrong, doubtful = [], []
    for w in WORDS:
        d = vn.decide_legacy(encode(w), font)
        if d.text == w:
            continue
        if d.doubt == w and d.text == encode(w):
            doubtful.append(w)
        else:
            wrong.append((w, d.text))
    return wrong, doubtful


@pytest.mark.parametrize("encode,font", [(tcvn3, ".VnTime"), (vni, "VNI-Times")])
def test_legacy_words_are_converted(encode, font):
    wrong, doubtful = _legacy_cases(encode, font)
    assert not wrong, wrong[:20]
    assert len(doubtful) * 40 <= len(WORDS), doubtful          # a lone ambiguous word: at most 2.5 %


def test_legacy_phrases_are_converted_without_doubt():
    """In a cell of several words, the ambiguous ones are settled by the others."""
    for i in range(0, len(WORDS) - 4, 5):
        phrase = " ".join(WORDS[i:i + 5])
        assert vn.decide_legacy(tcvn3(phrase), ".VnTime") == vn.LegacyDecision(phrase, "TCVN3"), phrase
        assert vn.decide_legacy(vni(phrase), "VNI-Times") == vn.LegacyDecision(phrase, "VNI-Windows"), phrase


@pytest.mark.parametrize("font", [".VnTime", ".VnArial", "VNI-Times"])
def test_unicode_words_under_a_legacy_font_are_kept(font):
    """Unicode pasted into a legacy-font cell is never "converted" into another word ("Không" → "Khụng")."""
    changed = [(w, vn.decide_legacy(w, font).text) for w in WORDS + [w.capitalize() for w in WORDS]
               if vn.decide_legacy(w, font).text != w]
    assert not changed, changed[:20]


def test_uppercase_font_unicode_kept():
    assert vn.decide_legacy("KHÔNG", ".VnTimeH").text == "KHÔNG"


def test_khong_is_kept_and_its_tcvn3_form_converted():
    assert vn.decide_legacy("Không", ".VnTime") == vn.LegacyDecision("Không", None, "Khụng")   # kept, warned
    assert vn.decide_legacy("Kh«ng", ".VnTime") == vn.LegacyDecision("Không", "TCVN3")


def test_two_readings_both_words_keep_the_text_and_say_so():
    d = vn.decide_legacy("Có", ".VnTime")            # TCVN3 reading "Cú" is a word too
    assert d.text == "Có" and d.encoding is None and d.doubt == "Cú"


def test_tone_rule_of_closed_syllables():
    assert vn.is_vietnamese_syllable("tốt") and vn.is_vietnamese_syllable("việc")
    assert not vn.is_vietnamese_syllable("tèt") and not vn.is_vietnamese_syllable("tổt")


def test_mixed_workbook_unicode_and_tcvn3_side_by_side(tmp_path):
    """One sheet, one legacy font on every cell: a Unicode "Không" and TCVN3 cells next to each other.  The
    Unicode "Không" in the Kỷ luật column must not become "Khụng" (a candidate excluded as disciplined)."""
    rows = [("Họ và tên", "Hình thức đề nghị", "Quê quán", "Kỷ luật"),
            ("Nguyễn Văn An", "Lao động tiên tiến", "Hoµ An, Cao B»ng", "Không"),
            ("TrÇn ThÞ B×nh", "Lao động tiên tiến", "Hòa An, Cao Bằng", "Kh«ng"),
            ("Lê Văn Có", "Lao động tiên tiến", "Quảng Hòa", "Có")]
    fonts = {("Cá nhân", r, c): ".VnTime" for r in range(2, 5) for c in range(1, 5)}
    c = load_campaign(make_workbook(tmp_path / "m.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows},
                                    fonts=fonts))
    a, b, co = c.individuals
    assert a.discipline == "Không" and a.hometown == "Hoà An, Cao Bằng"
    assert b.full_name == "Trần Thị Bình" and b.discipline == "Không" and b.hometown == "Hòa An, Cao Bằng"
    assert co.discipline == "Có"
    doubts = [p for p in c.problems if p.rule == "ma-cu" and "giữ nguyên" in p.message]
    assert [(p.row, p.column) for p in doubts] == [(2, "Kỷ luật"), (4, "Kỷ luật")], [p.message for p in doubts]
