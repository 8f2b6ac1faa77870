"""Write the bundled example campaigns in fixtures/ (run: python tools/make_fixtures.py).

1. fixtures/vksnd-cao-bang.xlsx — VKSND tỉnh Cao Bằng, phong trào "Cả nước thi đua đổi mới sáng tạo và
   chuyển đổi số" (seed 000: Nơi nhận and signer "KT. VIỆN TRƯỞNG / PHÓ VIỆN TRƯỞNG / Phạm Mỹ An").
   Used by ``docgen demo``.  People are invented.
2. fixtures/vkstc-251.xlsx — 251/KH-VKSTC (seed 004): VKSND tối cao's plan for the QLAHS / "Bình dân học
   vụ số" movement, with its Nơi nhận list, signer, units ranked by tỷ lệ án toàn trình.
3. fixtures/so-vhttdl-cao-bang.xlsx — a yearly round of Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng (under
   UBND tỉnh): the Giám đốc Sở decides Tập thể lao động tiên tiến, Chiến sĩ thi đua cơ sở, Lao động tiên tiến and
   Giấy khen (its Quyết định); Tập thể lao động xuất sắc and Bằng khen của Chủ tịch UBND tỉnh go to the Tờ trình.
   Award names as clerks write them ("Chiến sỹ thi đua cơ sở", "Bằng khen Chủ tịch UBND tỉnh"), two people named
   Nguyễn Văn Bình told apart in Biểu quyết, a written vote, the Biên bản signed "TM. HỘI ĐỒNG … / CHỦ TỊCH".
4. fixtures/xa-hoa-an.xlsx — a yearly round of UBND xã Hòa An (tỉnh Cao Bằng): the Chủ tịch UBND xã decides its
   four (since 01/7/2025); Bằng khen của Chủ tịch UBND tỉnh goes up, and the Bằng khen của Thủ tướng Chính phủ is
   proposed to the Chủ tịch UBND tỉnh to propose further up.
5. fixtures/so-vhttdl-tong-ket.xlsx — the Sở VHTTDL's year-end round at full size (55 tập thể and cá nhân over
   six forms, ten units): the Tờ trình danh sách, the Quyết định danh sách and the Biên bản vote table each run
   over several printed pages (tests/test_printed.py checks the page breaks; docs/img shows a page).
People, numbers and the provincial decision cited are invented.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.workbook import write_workbook  # noqa: E402

PHONG_TRAO_000 = "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"
BK_VKSTC = "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"
CSTD_CS = "Chiến sĩ thi đua cơ sở"
LDTT = "Lao động tiên tiến"
TTLDXS = "Tập thể lao động xuất sắc"

CAN_CU_000 = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết một số "
    "điều của Luật Thi đua, khen thưởng",
    "Căn cứ Thông tư số 02/2024/TT-VKSTC của Viện trưởng Viện kiểm sát nhân dân tối cao quy định về công tác "
    "thi đua, khen thưởng trong ngành Kiểm sát nhân dân",
    "Căn cứ Kế hoạch số 129/KH-VKSTC ngày 23/6/2025 của Viện kiểm sát nhân dân tối cao về phát động, tổ chức "
    "phong trào thi đua \u201cCả nước thi đua đổi mới sáng tạo và chuyển đổi số\u201d trong ngành Kiểm sát "
    "nhân dân",
]

UNITS_000 = [
    ("Văn phòng", 18, "Phòng", 96.5),
    ("Phòng Thực hành quyền công tố và kiểm sát điều tra, xét xử án hình sự", 14, "Phòng", 99.1),
    ("Phòng Kiểm sát giải quyết các vụ, việc dân sự, hành chính", 8, "Phòng", 97.0),
    ("Phòng Kiểm sát thi hành án", 7, "Phòng", 98.4),
    ("Phòng Thống kê tội phạm và công nghệ thông tin", 6, "Phòng", 100),
    ("Phòng Tổ chức cán bộ", 5, "Phòng", 95.2),
    ("Thanh tra", 5, "Phòng", 94.0),
    ("Viện kiểm sát nhân dân khu vực 1", 16, "VKSND khu vực", 98.8),
    ("Viện kiểm sát nhân dân khu vực 2", 14, "VKSND khu vực", 97.6),
    ("Viện kiểm sát nhân dân khu vực 3", 13, "VKSND khu vực", 99.4),
    ("Viện kiểm sát nhân dân khu vực 4", 12, "VKSND khu vực", 92.3),
]

COLLECTIVES_000 = [
    {"STT": 1, "Tên tập thể": "Phòng Thống kê tội phạm và công nghệ thông tin",
     "Đơn vị": "Phòng Thống kê tội phạm và công nghệ thông tin", "Hình thức đề nghị": BK_VKSTC,
     "Số biên chế": 6, "Địa chỉ": "Số 26, phố Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng",
     "Điện thoại": "0206 3852 615", "Năm thành lập": 2016, "Thủ trưởng": "Lâm Văn Tài",
     "Chức năng, nhiệm vụ": "Tham mưu giúp Viện trưởng thực hiện công tác thống kê tội phạm, ứng dụng công "
                             "nghệ thông tin và chuyển đổi số trong Viện kiểm sát hai cấp.",
     "Thành tích": "Chủ trì triển khai nền tảng Quản lý án hình sự tại 5 đơn vị, 100% vụ án mới được thực hiện "
                   "toàn trình trên nền tảng số từ ngày 01/01/2026.\n"
                   "Xây dựng 03 công cụ hỗ trợ thống kê tự động, rút ngắn thời gian lập báo cáo định kỳ từ 3 ngày "
                   "xuống còn nửa ngày.\n"
                   "Tổ chức 06 lớp tập huấn \u201ccầm tay chỉ việc\u201d cho 112 lượt công chức.",
     "Kỷ luật": "Không", "Số sáng kiến": 3},
    {"STT": 2, "Tên tập thể": "Viện kiểm sát nhân dân khu vực 1", "Đơn vị": "Viện kiểm sát nhân dân khu vực 1",
     "Hình thức đề nghị": BK_VKSTC, "Số biên chế": 16, "Địa chỉ": "Phường Thục Phán, tỉnh Cao Bằng",
     "Điện thoại": "0206 3853 201", "Năm thành lập": 2025, "Thủ trưởng": "Nông Văn Bình",
     "Chức năng, nhiệm vụ": "Thực hành quyền công tố, kiểm sát hoạt động tư pháp trên địa bàn khu vực 1.",
     "Thành tích": "Thực hiện toàn trình 98,8% vụ án hình sự trên nền tảng Quản lý án hình sự.\n"
                   "100% công chức đạt cấp độ 5 trở lên trên hệ thống LuyenAI.vn.",
     "Kỷ luật": "Không", "Số sáng kiến": 1},
    {"STT": 3, "Tên tập thể": "Văn phòng", "Đơn vị": "Văn phòng", "Hình thức đề nghị": BK_VKSTC,
     "Số biên chế": 18, "Địa chỉ": "Số 26, phố Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng",
     "Điện thoại": "0206 3852 110", "Năm thành lập": 1960, "Thủ trưởng": "Lý Thị Thanh",
     "Chức năng, nhiệm vụ": "Tham mưu tổng hợp, hành chính, văn thư, lưu trữ, thi đua - khen thưởng.",
     "Thành tích": "Số hóa 100% văn bản đi, đến; vận hành phần mềm quản lý văn bản và hồ sơ công việc.",
     "Kỷ luật": "", "Số sáng kiến": 0},
]

INDIVIDUALS_000 = [
    # name, gender, birth, position, unit, qualification, award, discipline, recruited, achievements, initiatives
    ("Nông Thị Hồng Nhung", "Nữ", date(1986, 3, 5), "Kiểm sát viên trung cấp",
     "Phòng Thực hành quyền công tố và kiểm sát điều tra, xét xử án hình sự", "Thạc sĩ Luật", BK_VKSTC, "Không",
     date(2009, 9, 1), "Thụ lý, giải quyết 46 vụ án; 100% vụ án thực hiện toàn trình trên nền tảng số.\n"
                       "Xây dựng bộ mẫu lệnh (prompt) soạn thảo cáo trạng được áp dụng trong toàn đơn vị.", 1),
    ("Lương Văn Thắng", "Nam", date(1979, 11, 20), "Trưởng phòng",
     "Phòng Thực hành quyền công tố và kiểm sát điều tra, xét xử án hình sự", "Cử nhân Luật", BK_VKSTC, "Không",
     date(2003, 3, 15), "Chỉ đạo đơn vị hoàn thành vượt 100% chỉ tiêu nghiệp vụ; tỷ lệ án toàn trình 99,1%.", 2),
    ("Đàm Thị Thu Hà", "Nữ", date(1990, 7, 14), "Kiểm tra viên", "Văn phòng", "Cử nhân Luật", BK_VKSTC, "Không",
     date(2014, 6, 1), "Hoàn thành tốt nhiệm vụ tổng hợp, thống kê.", 0),
    ("Bế Văn Long", "Nam", date(1982, 1, 9), "Phó Viện trưởng", "Viện kiểm sát nhân dân khu vực 1",
     "Cử nhân Luật", BK_VKSTC, "Không", date(2006, 10, 2),
     "Trực tiếp chỉ đạo triển khai nền tảng Quản lý án hình sự tại đơn vị, đạt tỷ lệ toàn trình 98,8%.", 1),
    ("Triệu Thị Mai", "Nữ", date(1993, 12, 2), "Chuyên viên", "Phòng Thống kê tội phạm và công nghệ thông tin",
     "Kỹ sư Công nghệ thông tin", BK_VKSTC, "Không", date(2017, 2, 20),
     "Xây dựng công cụ tự động tổng hợp báo cáo thống kê từ dữ liệu QLAHS, được áp dụng tại Viện kiểm sát "
     "hai cấp.", 2),
    ("Ma Văn Khánh", "Nam", date(1988, 5, 30), "Kiểm sát viên sơ cấp", "Viện kiểm sát nhân dân khu vực 2",
     "Cử nhân Luật", BK_VKSTC, "Khiển trách năm 2026", date(2012, 8, 1), "Hoàn thành nhiệm vụ được giao.", 0),
    ("Lục Thị Ngọc Ánh", "Nữ", date(1995, 9, 17), "Kế toán", "Văn phòng", "Cử nhân Kế toán", BK_VKSTC, "Không",
     date(2019, 4, 1), "Thực hiện thanh toán điện tử 100% khoản chi; không có sai sót.", 0),
    ("Đinh Công Tuấn", "Nam", date(1991, 2, 25), "Kiểm sát viên sơ cấp", "Viện kiểm sát nhân dân khu vực 3",
     "Cử nhân Luật", BK_VKSTC, "", date(2020, 10, 5),
     "Giải quyết 31 vụ án đúng hạn; tích cực hỗ trợ đồng nghiệp sử dụng LuyenAI.vn.", 0),
]

VOTES_000 = {  # yes, no — council of 7, one absent; Đàm Thị Thu Hà fails (3/7 = 42,9%, not over 50%)
    "Phòng Thống kê tội phạm và công nghệ thông tin": (6, 0),
    "Viện kiểm sát nhân dân khu vực 1": (6, 0),
    "Văn phòng": (6, 0),
    "Nông Thị Hồng Nhung": (6, 0),
    "Lương Văn Thắng": (6, 0),
    "Đàm Thị Thu Hà": (3, 3),
    "Bế Văn Long": (6, 0),
    "Triệu Thị Mai": (6, 0),
    "Ma Văn Khánh": (5, 1),
    "Lục Thị Ngọc Ánh": (6, 0),
    "Đinh Công Tuấn": (6, 0),
}

COUNCIL_000 = [
    (1, "Hoàng Văn Đức", "Viện trưởng", "Chủ tịch", "Có"),
    (2, "Phạm Mỹ An", "Phó Viện trưởng", "Phó Chủ tịch", "Có"),
    (3, "Nông Quốc Hưng", "Phó Viện trưởng", "Phó Chủ tịch", "Vắng"),
    (4, "Lý Thị Thanh", "Chánh Văn phòng", "Ủy viên thường trực", "Có"),
    (5, "Hà Văn Quân", "Trưởng phòng Tổ chức cán bộ", "Ủy viên", "Có"),
    (6, "Vi Thị Hạnh", "Chủ tịch Công đoàn cơ sở", "Ủy viên", "Có"),
    (7, "Mạc Văn Sơn", "Phó Chánh Văn phòng", "Thư ký", "Có"),
]

PAST_AWARDS_000 = [
    ("Nông Thị Hồng Nhung", 2024, "Lao động tiên tiến", "45/QĐ-VKSCB", date(2024, 12, 20), "VKSND tỉnh Cao Bằng"),
    ("Nông Thị Hồng Nhung", 2025, "Chiến sĩ thi đua cơ sở", "38/QĐ-VKSCB", date(2025, 12, 18), "VKSND tỉnh Cao Bằng"),
    ("Nông Thị Hồng Nhung", 2025, "Giấy khen của Viện trưởng VKSND tỉnh Cao Bằng", "12/QĐ-VKSCB",
     date(2025, 10, 10), "VKSND tỉnh Cao Bằng"),
    ("Lương Văn Thắng", 2023, "Chiến sĩ thi đua cơ sở", "50/QĐ-VKSCB", date(2023, 12, 22), "VKSND tỉnh Cao Bằng"),
    ("Lương Văn Thắng", 2024, "Bằng khen của Chủ tịch UBND tỉnh", "2210/QĐ-UBND", date(2024, 11, 5),
     "UBND tỉnh Cao Bằng"),
    ("Triệu Thị Mai", 2025, "Lao động tiên tiến", "38/QĐ-VKSCB", date(2025, 12, 18), "VKSND tỉnh Cao Bằng"),
    ("Phòng Thống kê tội phạm và công nghệ thông tin", 2025, "Tập thể lao động tiên tiến", "39/QĐ-VKSCB",
     date(2025, 12, 18), "VKSND tỉnh Cao Bằng"),
    ("Văn phòng", 2024, "Tập thể lao động xuất sắc", "46/QĐ-VKSCB", date(2024, 12, 20), "VKSND tỉnh Cao Bằng"),
]

NOI_NHAN_000 = {
    "KH": ["VP VKSND tối cao (để báo cáo)", "Đ/c Viện trưởng (để báo cáo)", "Các Đ/c Phó Viện trưởng (để theo dõi)",
           "Khối thi đua nội chính", "Các đơn vị thuộc VKSND tỉnh", "VKSND các khu vực"],
    "TTr": ["Như trên", "Vụ Thi đua - Khen thưởng VKSND tối cao", "Đ/c Viện trưởng (để báo cáo)"],
    "BB": ["Thành viên Hội đồng Thi đua - Khen thưởng", "Vụ Thi đua - Khen thưởng VKSND tối cao"],
    }

SIGNERS_000 = [
    ("KH", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"),
    ("TTr", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"),
]


def cao_bang(path: Path) -> Path:
    info = {
        "Cơ quan chủ quản": "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",
        "Cơ quan ban hành": "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG",
        "Ký hiệu cơ quan": "VKSCB",
        "Đơn vị soạn thảo": "VP",
        "Địa danh": "Cao Bằng",
        "Tên phong trào": PHONG_TRAO_000,
        "Loại khen thưởng": "Chuyên đề",
        "Năm": 2026,
        "Ngày ban hành": date(2026, 9, 28),
        "Ngày Kế hoạch": date(2025, 7, 10),
        "Kính gửi": "Viện trưởng Viện kiểm sát nhân dân tối cao",
        "Cấp trình khen": "Viện kiểm sát nhân dân tối cao",
        "Hạn nộp hồ sơ": date(2026, 9, 30),
        "Thời gian họp": "14 giờ 00, ngày 25/9/2026",
        "Địa điểm họp": "Hội trường Viện kiểm sát nhân dân tỉnh Cao Bằng",
        "Thời gian kết thúc": "16 giờ 30",
        "Số Kế hoạch": 5,
        "Số Tờ trình": 12,
    }
    individuals = [
        {"STT": i, "Họ và tên": p[0], "Giới tính": p[1], "Ngày sinh": p[2], "Quê quán": "Cao Bằng",
         "Trú quán": "Phường Thục Phán, tỉnh Cao Bằng", "Chức vụ": p[3], "Đơn vị": p[4],
         "Trình độ chuyên môn": p[5], "Hình thức đề nghị": p[6], "Kỷ luật": p[7], "Ngày tuyển dụng": p[8],
         "Thành tích": p[9], "Số sáng kiến": p[10]}
        for i, p in enumerate(INDIVIDUALS_000, start=1)
    ]
    award_of = {c["Tên tập thể"]: c["Hình thức đề nghị"] for c in COLLECTIVES_000}
    award_of.update({p[0]: p[6] for p in INDIVIDUALS_000})
    tables = {
        "Căn cứ": [(i, t) for i, t in enumerate(CAN_CU_000, start=1)],
        "Đơn vị": [(i, u[0], u[1], u[2], "", u[3]) for i, u in enumerate(UNITS_000, start=1)],
        "Tập thể": COLLECTIVES_000,
        "Cá nhân": individuals,
        "Khen thưởng": PAST_AWARDS_000,
        "Hội đồng": COUNCIL_000,
        "Biểu quyết": [(name, award_of[name], yes, no) for name, (yes, no) in VOTES_000.items()],
        "Nơi nhận": [(doc, item) for doc, items in NOI_NHAN_000.items() for item in items],
        "Người ký": SIGNERS_000,
    }
    return write_workbook(path, info, tables, rule_settings={"Bộ quy tắc": "vksnd-cao-bang-000"},
                          extra_columns={"Đơn vị": ["Tỷ lệ án toàn trình (%)"], "Tập thể": ["Số sáng kiến"],
                                         "Cá nhân": ["Số sáng kiến"]})


NOI_NHAN_251 = [
    "Đ/c Viện trưởng VKSND tối cao (để b/c)",
    "Lãnh đạo VKSND tối cao",
    "Ban Thi đua - Khen thưởng Trung ương (để b/c)",
    "Thành viên Hội đồng TĐKT Ngành",
    "Các đơn vị thuộc VKSND tối cao",
    "VKSND tỉnh, thành phố",
    "Cổng thông tin điện tử VKSND tối cao (đăng tải)",
]

UNITS_251 = [  # name, biên chế, loại, tỷ lệ án toàn trình (%), tỷ lệ công chức đạt cấp độ 5 LuyenAI (%)
    ("Viện kiểm sát nhân dân thành phố Hà Nội", 620, "VKSND tỉnh", 98.6, 91.0),
    ("Viện kiểm sát nhân dân Thành phố Hồ Chí Minh", 710, "VKSND tỉnh", 97.9, 88.5),
    ("Viện kiểm sát nhân dân tỉnh Cao Bằng", 145, "VKSND tỉnh", 99.2, 96.1),
    ("Viện kiểm sát nhân dân tỉnh Nghệ An", 410, "VKSND tỉnh", 98.1, 90.2),
    ("Viện kiểm sát nhân dân tỉnh Lâm Đồng", 330, "VKSND tỉnh", 95.4, 85.0),
    ("Cục Thống kê tội phạm và chuyển đổi số", 60, "Đơn vị thuộc VKSND tối cao", None, 100.0),
    ("Văn phòng VKSND tối cao", 150, "Đơn vị thuộc VKSND tối cao", None, 93.4),
    ("Vụ Thi đua - Khen thưởng", 25, "Đơn vị thuộc VKSND tối cao", None, 96.0),
    ("Vụ Thực hành quyền công tố và kiểm sát điều tra án ma túy", 45, "Đơn vị thuộc VKSND tối cao", 99.0, 87.0),
    ("Viện kiểm sát nhân dân tỉnh Quảng Ninh", 290, "VKSND tỉnh", 98.9, 94.3),
]


def vkstc_251(path: Path) -> Path:
    info = {
        "Cơ quan ban hành": "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",
        "Ký hiệu cơ quan": "VKSTC",
        "Đơn vị soạn thảo": "VP, PTĐKT",
        "Địa danh": "Hà Nội",
        "Tên phong trào": "Thực hiện thắng lợi nhiệm vụ triển khai nền tảng Quản lý án hình sự gắn với phong "
                          "trào thi đua \u201cBình dân học vụ số\u201d trong ngành Kiểm sát nhân dân",
        "Loại khen thưởng": "Chuyên đề",
        "Năm": 2026,
        "Ngày ban hành": date(2025, 12, 12),
        "Hạn nộp hồ sơ": date(2026, 6, 30),
        "Số Kế hoạch": 251,
        "Kính gửi": "Hội đồng Thi đua - Khen thưởng ngành Kiểm sát nhân dân",
        "Cấp trình khen": "Viện trưởng Viện kiểm sát nhân dân tối cao",
    }
    can_cu = [
        "Căn cứ Chỉ thị số 01/CT-VKSTC ngày 10/10/2025 về công tác của ngành Kiểm sát nhân dân năm 2026",
        "Căn cứ Kế hoạch số 205/KH-VKSTC ngày 24/10/2025 của Viện kiểm sát nhân dân tối cao về triển khai nền "
        "tảng Quản lý án hình sự ngành Kiểm sát nhân dân",
    ]
    tables = {
        "Căn cứ": [(i, t) for i, t in enumerate(can_cu, start=1)],
        "Đơn vị": [(i, u[0], u[1], u[2], "", u[3], u[4]) for i, u in enumerate(UNITS_251, start=1)],
        "Tập thể": [
            {"STT": 1, "Tên tập thể": "Viện kiểm sát nhân dân tỉnh Cao Bằng",
             "Đơn vị": "Viện kiểm sát nhân dân tỉnh Cao Bằng", "Hình thức đề nghị": BK_VKSTC, "Số biên chế": 145,
             "Thành tích": "Tỷ lệ vụ án thực hiện toàn trình trên QLAHS đạt 99,2%; 96,1% công chức đạt cấp độ 5 "
                           "trên hệ thống LuyenAI.vn.", "Kỷ luật": "Không"},
        ],
        "Cá nhân": [
            {"STT": 1, "Họ và tên": "Trần Minh Quang", "Giới tính": "Nam", "Ngày sinh": date(1987, 4, 12),
             "Chức vụ": "Phó Cục trưởng", "Đơn vị": "Cục Thống kê tội phạm và chuyển đổi số",
             "Trình độ chuyên môn": "Thạc sĩ Công nghệ thông tin", "Hình thức đề nghị": BK_VKSTC,
             "Thành tích": "Chủ trì vận hành nền tảng QLAHS và hệ thống LuyenAI.vn ổn định trong toàn Ngành.",
             "Kỷ luật": "Không"},
        ],
        "Nơi nhận": [("KH", item) for item in NOI_NHAN_251],
        "Người ký": [("KH", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Nguyễn Đức Thái")],
    }
    return write_workbook(path, info, tables, rule_settings={"Bộ quy tắc": "vkstc-251-2025"},
                          extra_columns={"Đơn vị": ["Tỷ lệ án toàn trình (%)",
                                                    "Tỷ lệ công chức đạt cấp độ 5 LuyenAI (%)"]})


BK_UBND_TINH = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
TLDTT = "Tập thể lao động tiên tiến"
GIAY_KHEN = "Giấy khen"
CAN_CU_TINH = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết một số "
    "điều của Luật Thi đua, khen thưởng",
    "Căn cứ Quyết định số 15/2025/QĐ-UBND ngày 20 tháng 8 năm 2025 của Ủy ban nhân dân tỉnh Cao Bằng ban hành "
    "Quy chế thi đua, khen thưởng trên địa bàn tỉnh",
]


def _person(i, name, gender, born, position, unit, award, achievements, recruited=date(2012, 9, 1)):
    return {"STT": i, "Họ và tên": name, "Giới tính": gender, "Ngày sinh": born, "Quê quán": "Cao Bằng",
            "Trú quán": "Cao Bằng", "Chức vụ": position, "Đơn vị": unit, "Trình độ chuyên môn": "Đại học",
            "Hình thức đề nghị": award, "Thành tích": achievements, "Kỷ luật": "Không", "Ngày tuyển dụng": recruited}


def _group(i, name, award, staff, head, achievements):
    return {"STT": i, "Tên tập thể": name, "Đơn vị": name, "Hình thức đề nghị": award, "Số biên chế": staff,
            "Thủ trưởng": head, "Chức năng, nhiệm vụ": f"Thực hiện nhiệm vụ được giao của {name}.",
            "Thành tích": achievements, "Kỷ luật": "Không"}


# The Sở VHTTDL's council, recipients and signers: the same in its two rounds (đợt thường xuyên, tổng kết).
SO_COUNCIL = [
    (1, "Hoàng Văn Quân", "Giám đốc Sở", "Chủ tịch", "Có"),
    (2, "Ma Thị Hằng", "Phó Giám đốc Sở", "Phó Chủ tịch", "Có"),
    (3, "Nông Văn Tú", "Phó Giám đốc Sở", "Ủy viên", "Vắng"),
    (4, "Đinh Thị Nga", "Chánh Văn phòng Sở", "Ủy viên thường trực", "Có"),
    (5, "Vi Văn Hùng", "Chủ tịch Công đoàn", "Ủy viên", "Có"),
    (6, "Hà Thị Yến", "Trưởng phòng Quản lý văn hóa", "Ủy viên", "Có"),
    (7, "Lý Văn Khoa", "Chuyên viên Văn phòng", "Thư ký", "Có"),
]
SO_RECIPIENTS = [("TTr", "Như trên"), ("TTr", "Ban Thi đua - Khen thưởng tỉnh"), ("QĐ", "Như Điều 3"),
                 ("QĐ", "Các phòng, đơn vị thuộc Sở"), ("BB", "Thành viên Hội đồng")]
SO_SIGNERS = [("QĐ", "", "GIÁM ĐỐC", "", "Hoàng Văn Quân"),
              ("TTr", "KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Ma Thị Hằng"),
              ("BB", "TM.", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "CHỦ TỊCH", "Hoàng Văn Quân")]


def so_vhttdl(path: Path) -> Path:
    info = {
        "Cơ quan chủ quản": "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG",
        "Cơ quan ban hành": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "Ký hiệu cơ quan": "SVHTTDL",
        "Đơn vị soạn thảo": "VP",
        "Địa danh": "Cao Bằng",
        "Tên phong trào": "Thi đua thực hiện thắng lợi nhiệm vụ chính trị năm 2025",
        "Loại khen thưởng": "Hằng năm",
        "Năm": 2025,
        "Ngày ban hành": date(2025, 12, 15),
        "Kính gửi": "Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng",
        "Cấp trình khen": "Ủy ban nhân dân tỉnh Cao Bằng",
        "Thời gian họp": "08 giờ 00, ngày 10/12/2025",
        "Địa điểm họp": "Phòng họp Sở Văn hóa, Thể thao và Du lịch",
        "Thời gian kết thúc": "10 giờ 30",
        "Tên cơ quan": "Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng",
    }
    units = ["Văn phòng Sở", "Phòng Quản lý văn hóa", "Phòng Quản lý thể dục thể thao", "Phòng Quản lý du lịch",
             "Bảo tàng tỉnh", "Thư viện tỉnh"]
    collectives = [
        _group(1, "Phòng Quản lý du lịch", "Tập thể lao động xuất sắc", 8, "Hoàng Thị Lan",
               "Tham mưu tổ chức thành công Lễ hội Non nước Cao Bằng 2025; lượng khách tăng 18%."),
        _group(2, "Bảo tàng tỉnh", "Bằng khen Chủ tịch UBND tỉnh", 15, "Nông Văn Hải",
               "Số hóa 2.400 hiện vật; tổ chức 06 chuyên đề trưng bày."),
        _group(3, "Thư viện tỉnh", GIAY_KHEN, 12, "Lục Thị Hoa", "Phục vụ 85.000 lượt bạn đọc."),
        _group(4, "Phòng Quản lý văn hóa", TLDTT, 7, "Đàm Văn Quý", "Hoàn thành 100% nhiệm vụ được giao."),
    ]
    individuals = [
        _person(1, "Bế Thị Thu", "Nữ", date(1980, 4, 2), "Trưởng phòng", "Phòng Quản lý du lịch",
                "Bằng khen Chủ tịch UBND tỉnh", "Chủ trì xây dựng Đề án phát triển du lịch cộng đồng."),
        _person(2, "Nguyễn Văn Bình", "Nam", date(1985, 6, 12), "Chuyên viên", "Phòng Quản lý văn hóa",
                "Chiến sỹ thi đua cơ sở", "Có sáng kiến quản lý di tích được công nhận cấp cơ sở."),
        _person(3, "Nguyễn Văn Bình", "Nam", date(1991, 1, 30), "Viên chức", "Bảo tàng tỉnh",
                "Lao động tiên tiến", "Hoàn thành tốt nhiệm vụ số hóa hiện vật."),
        _person(4, "Lương Thị Mai", "Nữ", date(1988, 9, 9), "Kế toán", "Văn phòng Sở", "Lao động tiên tiến",
                "Hoàn thành tốt nhiệm vụ được giao."),
        _person(5, "Triệu Văn Đức", "Nam", date(1979, 3, 3), "Phó Trưởng phòng", "Phòng Quản lý thể dục thể thao",
                GIAY_KHEN, "Tổ chức Đại hội Thể dục thể thao tỉnh lần thứ IX."),
    ]
    votes = [  # council of 7, 6 present; the absent member sent a written vote for Bế Thị Thu
        ("Phòng Quản lý du lịch", "Tập thể lao động xuất sắc", 6, 0, None, ""),
        ("Bảo tàng tỉnh", "Bằng khen Chủ tịch UBND tỉnh", 6, 0, None, ""),
        ("Thư viện tỉnh", GIAY_KHEN, 5, 1, None, ""),
        ("Phòng Quản lý văn hóa", TLDTT, 6, 0, None, ""),
        ("Bế Thị Thu", "Bằng khen Chủ tịch UBND tỉnh", 7, 0, 1, ""),
        ("Nguyễn Văn Bình (Phòng Quản lý văn hóa)", "Chiến sỹ thi đua cơ sở", 6, 0, None, ""),
        ("Nguyễn Văn Bình", "Lao động tiên tiến", 5, 1, None, "Bảo tàng tỉnh"),
        ("Lương Thị Mai", "Lao động tiên tiến", 6, 0, None, ""),
        ("Triệu Văn Đức", GIAY_KHEN, 6, 0, None, ""),
    ]
    tables = {
        "Căn cứ": [(i, t) for i, t in enumerate(CAN_CU_TINH, start=1)],
        "Đơn vị": [(i, u, 8, "Phòng", "") for i, u in enumerate(units, start=1)],
        "Tập thể": collectives,
        "Cá nhân": individuals,
        "Hội đồng": SO_COUNCIL,
        "Biểu quyết": votes,
        "Nơi nhận": SO_RECIPIENTS,
        "Người ký": SO_SIGNERS,
    }
    return write_workbook(path, info, tables)


def xa_hoa_an(path: Path) -> Path:
    info = {
        "Cơ quan chủ quản": "",
        "Cơ quan ban hành": "ỦY BAN NHÂN DÂN XÃ HÒA AN",
        "Ký hiệu cơ quan": "UBND",
        "Đơn vị soạn thảo": "VP",
        "Địa danh": "Hòa An",
        "Tên phong trào": "Thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2025",
        "Loại khen thưởng": "Hằng năm",
        "Năm": 2025,
        "Ngày ban hành": date(2025, 12, 10),
        "Thẩm quyền khen thưởng": "Chủ tịch UBND cấp xã",
        "Kính gửi": "Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng",
        "Cấp trình khen": "Ủy ban nhân dân tỉnh Cao Bằng",
        "Thời gian họp": "14 giờ 00, ngày 05/12/2025",
        "Địa điểm họp": "Hội trường Ủy ban nhân dân xã Hòa An",
        "Thời gian kết thúc": "16 giờ 00",
    }
    collectives = [
        _group(1, "Thôn Nà Lẹng", TLDTT, 0, "Nông Văn Sơn", "Hoàn thành 100% chỉ tiêu kinh tế - xã hội."),
        _group(2, "Trường Tiểu học Hòa An", BK_UBND_TINH, 28, "Hoàng Thị Minh",
               "100% học sinh hoàn thành chương trình; 12 giải học sinh giỏi cấp tỉnh."),
    ]
    individuals = [
        _person(1, "Lục Văn Tám", "Nam", date(1982, 5, 5), "Công chức Văn phòng - Thống kê", "Văn phòng",
                "Lao động tiên tiến", "Hoàn thành tốt nhiệm vụ."),
        _person(2, "Đàm Thị Phương", "Nữ", date(1987, 8, 8), "Công chức Tư pháp - Hộ tịch", "Văn phòng",
                "Chiến sĩ thi đua cơ sở", "Sáng kiến số hóa sổ hộ tịch được áp dụng toàn xã."),
        _person(3, "Bế Văn Công", "Nam", date(1975, 2, 14), "Trưởng thôn", "Thôn Nà Lẹng", GIAY_KHEN,
                "Vận động nhân dân hiến 3.000 m² đất làm đường."),
        _person(4, "Hoàng Thị Minh", "Nữ", date(1978, 11, 1), "Hiệu trưởng", "Trường Tiểu học Hòa An",
                "Bằng khen của Thủ tướng Chính phủ", "05 năm liền đạt danh hiệu Chiến sĩ thi đua cơ sở."),
    ]
    council = [(1, "Nông Văn Đạt", "Chủ tịch UBND xã", "Chủ tịch", "Có"),
               (2, "Lý Thị Hạnh", "Phó Chủ tịch UBND xã", "Phó Chủ tịch", "Có"),
               (3, "Hà Văn Lợi", "Chủ tịch Ủy ban MTTQ xã", "Ủy viên", "Có"),
               (4, "Ma Thị Thơm", "Công chức Văn hóa - Xã hội", "Ủy viên", "Có"),
               (5, "Vi Văn Hòa", "Công chức Văn phòng - Thống kê", "Thư ký", "Có")]
    votes = [(c["Tên tập thể"], c["Hình thức đề nghị"], 5, 0) for c in collectives]
    votes += [(p["Họ và tên"], p["Hình thức đề nghị"], 5, 0) for p in individuals]
    tables = {
        "Căn cứ": [(i, t) for i, t in enumerate(CAN_CU_TINH, start=1)],
        "Tập thể": collectives,
        "Cá nhân": individuals,
        "Hội đồng": council,
        "Biểu quyết": votes,
        "Nơi nhận": [("TTr", "Như trên"), ("TTr", "Ban Thi đua - Khen thưởng tỉnh"), ("QĐ", "Như Điều 3")],
        "Người ký": [("QĐ", "", "CHỦ TỊCH", "", "Nông Văn Đạt"),
                     ("TTr", "TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nông Văn Đạt")],
    }
    return write_workbook(path, info, tables)


HO = ["Nông", "Hoàng", "Bế", "Lục", "Đàm", "Triệu", "Lương", "Nguyễn", "Ma", "Vi", "Hà", "Lý", "Đinh", "Chu"]
DEM_NAM, DEM_NU = ["Văn", "Đức", "Quang", "Minh"], ["Thị", "Thị Thu", "Thị Hồng", "Thị Ngọc"]
TEN_NAM = ["Hải", "Tuấn", "Cường", "Dũng", "Khánh", "Long", "Phúc", "Sơn", "Thắng", "Việt", "Hưng", "Quyết"]
TEN_NU = ["Lan", "Huyền", "Hương", "Mai", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Yến", "Hạnh", "Linh"]
UNITS_TONG_KET = ["Văn phòng Sở", "Phòng Quản lý văn hóa", "Phòng Quản lý thể dục thể thao",
                  "Phòng Quản lý du lịch", "Bảo tàng tỉnh", "Thư viện tỉnh", "Trung tâm Văn hóa - Điện ảnh tỉnh",
                  "Đoàn Nghệ thuật tỉnh", "Trung tâm Huấn luyện và Thi đấu thể thao",
                  "Ban Quản lý Khu di tích quốc gia đặc biệt Pác Bó"]
POSITIONS = ["Chuyên viên", "Phó Trưởng phòng", "Viên chức", "Kế toán", "Diễn viên", "Huấn luyện viên",
             "Thủ thư", "Hướng dẫn viên"]
# form → how many cá nhân propose it; the tập thể are listed in COLLECTIVES_TONG_KET
FORMS_TONG_KET = [("Bằng khen Chủ tịch UBND tỉnh", 20), ("Chiến sỹ thi đua cơ sở", 8), (LDTT, 14),
                  (GIAY_KHEN, 4)]
COLLECTIVES_TONG_KET = [("Phòng Quản lý du lịch", TTLDXS), ("Bảo tàng tỉnh", TTLDXS), ("Thư viện tỉnh", TTLDXS),
                        ("Đoàn Nghệ thuật tỉnh", "Bằng khen Chủ tịch UBND tỉnh"),
                        ("Trung tâm Huấn luyện và Thi đấu thể thao", "Bằng khen Chủ tịch UBND tỉnh"),
                        ("Phòng Quản lý văn hóa", TLDTT), ("Văn phòng Sở", TLDTT),
                        ("Trung tâm Văn hóa - Điện ảnh tỉnh", TLDTT),
                        ("Ban Quản lý Khu di tích quốc gia đặc biệt Pác Bó", GIAY_KHEN)]


def _names_tong_ket(count: int) -> list[tuple[str, str]]:
    """``count`` distinct (name, giới tính), the same every run."""
    out = []
    for i in range(count):
        female = i % 2 == 1
        dem, ten = (DEM_NU, TEN_NU) if female else (DEM_NAM, TEN_NAM)
        out.append((f"{HO[i % len(HO)]} {dem[i // 3 % len(dem)]} {ten[i * 5 // 2 % len(ten)]}",
                    "Nữ" if female else "Nam"))
    assert len({n for n, _ in out}) == count
    return out


def so_vhttdl_tong_ket(path: Path) -> Path:
    """The Sở VHTTDL's year-end round at full size: lists that run over several printed pages."""
    info = {
        "Cơ quan chủ quản": "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG",
        "Cơ quan ban hành": "SỞ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH",
        "Ký hiệu cơ quan": "SVHTTDL",
        "Đơn vị soạn thảo": "TCPC",
        "Tên đơn vị soạn thảo": "Phòng Tổ chức - Pháp chế",
        "Địa danh": "Cao Bằng",
        "Tên phong trào": "Thi đua thực hiện thắng lợi nhiệm vụ chính trị năm 2025",
        "Loại khen thưởng": "Hằng năm",
        "Năm": 2025,
        "Ngày ban hành": date(2025, 12, 18),
        "Kính gửi": "Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng",
        "Cấp trình khen": "Ủy ban nhân dân tỉnh Cao Bằng",
        "Thời gian họp": "08 giờ 00, ngày 12/12/2025",
        "Địa điểm họp": "Phòng họp Sở Văn hóa, Thể thao và Du lịch",
        "Thời gian kết thúc": "11 giờ 00",
        "Tên cơ quan": "Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng",
    }
    heads = _names_tong_ket(sum(n for _, n in FORMS_TONG_KET) + len(COLLECTIVES_TONG_KET))
    collectives = [_group(i, name, award, 8 + 3 * i, heads[-i][0],
                          f"Hoàn thành xuất sắc {90 + i}% chỉ tiêu được giao năm 2025.")
                   for i, (name, award) in enumerate(COLLECTIVES_TONG_KET, start=1)]
    individuals, i = [], 0
    for award, count in FORMS_TONG_KET:
        for _ in range(count):
            name, gender = heads[i]
            unit = UNITS_TONG_KET[i % len(UNITS_TONG_KET)]
            individuals.append(_person(i + 1, name, gender, date(1975 + i % 20, 1 + i % 12, 1 + i % 27),
                                       POSITIONS[i % len(POSITIONS)], unit, award,
                                       f"Hoàn thành xuất sắc nhiệm vụ được giao tại {unit} năm 2025."))
            i += 1
    votes = [(c["Tên tập thể"], c["Hình thức đề nghị"], 6, 0) for c in collectives]
    split = [p["Hình thức đề nghị"] == LDTT and j % 2 for j, p in enumerate(individuals)]   # 5 for, 1 against
    votes += [(p["Họ và tên"], p["Hình thức đề nghị"], 6 - s, int(s)) for p, s in zip(individuals, split)]
    tables = {
        "Căn cứ": [(i, t) for i, t in enumerate(CAN_CU_TINH, start=1)],
        "Đơn vị": [(i, u, 12, "Phòng", "") for i, u in enumerate(UNITS_TONG_KET, start=1)],
        "Tập thể": collectives,
        "Cá nhân": individuals,
        "Hội đồng": SO_COUNCIL,
        "Biểu quyết": votes,
        "Nơi nhận": SO_RECIPIENTS,
        "Người ký": [("KH", "", "GIÁM ĐỐC", "GIÁM ĐỐC", "Hoàng Văn Quân"), *SO_SIGNERS],
    }
    return write_workbook(path, info, tables)


def main() -> None:
    out = ROOT / "fixtures"
    for p in (cao_bang(out / "vksnd-cao-bang.xlsx"), vkstc_251(out / "vkstc-251.xlsx"),
              so_vhttdl(out / "so-vhttdl-cao-bang.xlsx"), xa_hoa_an(out / "xa-hoa-an.xlsx"),
              so_vhttdl_tong_ket(out / "so-vhttdl-tong-ket.xlsx")):
        print(f"wrote {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
