"""The campaign workbook contract, declared once.

The reader, ``docgen init`` (sheets, headers, the Hướng dẫn sheet, dropdowns) and ``docs/workbook.md``
(written from here by ``tools/make_workbook_doc.py``) all read these declarations: a key or a column is
described in one place only.  Every Thông tin key and every column a stage reads is declared here; the
only undeclared inputs are by design: the metric columns of the Đơn vị, Tập thể and Cá nhân sheets and the
clerk's own Thông tin keys (``extra`` of the records, ``thong_tin_khac`` in templates).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import model
from .text import fold

# Fixed vocabularies (dropdowns in `docgen init`, validated by the reader).
AWARD_KINDS = ("Hằng năm", "Sơ kết", "Tổng kết", "Chuyên đề", "Đột xuất")
GENDERS = ("Nam", "Nữ")
ROLES = ("Chủ tịch", "Phó Chủ tịch", "Ủy viên thường trực", "Ủy viên", "Thư ký")
PRESENCE = ("Có", "Vắng")
AUTHORITIES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
DOC_TYPES = model.DOC_TYPES
AWARD_VOCAB = "hinh_thuc"   # marker: the vocabulary comes from the rules catalogue (docgen.rules)


@dataclass(frozen=True)
class Column:
    header: str                      # canonical header, as `docgen init` writes it
    field: str                       # attribute of the record
    kind: str = "text"               # text | longtext | int | year | date | presence | doc_type | authority
    required: bool = False
    description: str = ""
    example: str = ""
    vocab: tuple[str, ...] | str | None = None
    aliases: tuple[str, ...] = ()
    width: int = 18                  # column width in `docgen init`

    def matches(self, header: str) -> bool:
        f = fold(header)
        return f == fold(self.header) or any(f == fold(a) for a in self.aliases)


@dataclass(frozen=True)
class Key:
    label: str
    field: str
    kind: str = "text"
    required: bool = False
    needed_for: tuple[str, ...] = ()   # document keys that need it ("to-trinh", "bien-ban", ...)
    description: str = ""
    example: str = ""
    vocab: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSheet:
    name: str
    record: type
    columns: tuple[Column, ...]
    description: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]


@dataclass(frozen=True)
class KeyValueSheet:
    name: str
    keys: tuple[Key, ...]
    description: str = ""
    aliases: tuple[str, ...] = ()
    key_header: str = "Mục"
    value_header: str = "Giá trị"


INFO = KeyValueSheet(
    name="Thông tin",
    description="Thông tin chung của đợt khen thưởng: mỗi dòng một mục, cột \"Giá trị\" ghi nội dung.",
    keys=(
        Key("Cơ quan chủ quản", "parent_agency", description="Tên cơ quan cấp trên trực tiếp (nếu có), viết hoa.",
            example="VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"),
        Key("Cơ quan ban hành", "issuing_agency", required=True, description="Tên cơ quan ban hành văn bản, viết hoa.",
            example="VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
        Key("Ký hiệu cơ quan", "agency_code", required=True,
            description="Chữ viết tắt tên cơ quan dùng trong số, ký hiệu văn bản.", example="VKSCB"),
        Key("Đơn vị soạn thảo", "drafting_unit", required=True,
            description="Chữ viết tắt đơn vị soạn thảo, ghi ở dòng \"Lưu: VT, ...\".", example="VP"),
        Key("Địa danh", "place", required=True, description="Địa danh ghi trước ngày tháng năm ban hành.",
            example="Cao Bằng"),
        Key("Tên phong trào", "movement_name", required=True, description="Tên phong trào thi đua, không cần ngoặc kép.",
            example="Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"),
        Key("Loại khen thưởng", "award_kind", required=True, vocab=AWARD_KINDS,
            description="Một trong: " + ", ".join(AWARD_KINDS) + ".", example="Hằng năm"),
        Key("Năm", "year", kind="year", required=True, description="Năm của đợt thi đua.", example="2026"),
        Key("Ngày ban hành", "issue_date", kind="date",
            description="Ngày ghi trên văn bản (dd/mm/yyyy). Để trống: ngày tạo văn bản.", example="05/01/2026"),
        Key("Kính gửi", "addressee", needed_for=("to-trinh",),
            description="Nơi nhận tờ trình, ghi sau \"Kính gửi:\".",
            example="Viện trưởng Viện kiểm sát nhân dân tối cao"),
        Key("Cấp trình khen", "proposing_to", needed_for=("to-trinh",),
            description="Cấp có thẩm quyền khen thưởng.", example="Viện kiểm sát nhân dân tối cao"),
        Key("Hạn nộp hồ sơ", "deadline", kind="date", description="Hạn gửi hồ sơ đề nghị (dd/mm/yyyy).",
            example="30/06/2026"),
        Key("Thời gian họp", "meeting_time", needed_for=("bien-ban",),
            description="Thời gian bắt đầu họp Hội đồng.", example="14 giờ 00, ngày 20/6/2026"),
        Key("Địa điểm họp", "meeting_place", needed_for=("bien-ban",), description="Nơi họp Hội đồng.",
            example="Hội trường VKSND tỉnh Cao Bằng"),
        Key("Thời gian kết thúc", "meeting_end", needed_for=("bien-ban",), description="Giờ kết thúc cuộc họp.",
            example="16 giờ 30"),
        Key("Ngày Kế hoạch", "date:KH", kind="date",
            description="Ngày ban hành riêng của Kế hoạch, nếu khác \"Ngày ban hành\".", example="10/07/2025"),
        Key("Ngày Tờ trình", "date:TTr", kind="date",
            description="Ngày ban hành riêng của Tờ trình, nếu khác \"Ngày ban hành\".", example=""),
        Key("Ngày Quyết định", "date:QĐ", kind="date",
            description="Ngày ký Quyết định khen thưởng (tính tiền thưởng theo lương cơ sở ngày này).", example=""),
        Key("Số Kế hoạch", "number:KH", kind="number", description="Để trống: Văn thư ghi số khi ban hành.",
            example="05"),
        Key("Số Tờ trình", "number:TTr", kind="number", description="Để trống: Văn thư ghi số khi ban hành.",
            example="12"),
        Key("Số Biên bản", "number:BB", kind="number", description="Để trống: Văn thư ghi số khi ban hành.",
            example=""),
        Key("Số Quyết định", "number:QĐ", kind="number", description="Để trống: Văn thư ghi số khi ban hành.",
            example=""),
        # Optional wording of the documents; each has a default written by docgen (docgen.assemble).
        Key("Tên cơ quan", "agency_name", kind="longtext",
            description="Tên cơ quan viết thường, dùng trong câu (\"… của Viện kiểm sát nhân dân tỉnh Cao Bằng\"). "
                        "Để trống: docgen viết từ \"Cơ quan ban hành\".",
            example="Viện kiểm sát nhân dân tỉnh Cao Bằng"),
        Key("Đơn vị tham mưu", "advising_unit", kind="longtext",
            description="Đơn vị được giao theo dõi, tổng hợp kết quả thực hiện Kế hoạch. Để trống: \"Văn phòng\".",
            example="Văn phòng"),
        Key("Hình thức khen thưởng", "award_forms", kind="longtext",
            description="Các hình thức khen thưởng của Kế hoạch, ngăn bằng dấu \";\". Để trống: các hình thức "
                        "đề nghị ở sheet Tập thể, Cá nhân.",
            example="Chiến sĩ thi đua cơ sở; Lao động tiên tiến; Giấy khen của Viện trưởng"),
        Key("Nội dung thi đua", "contest_content", kind="longtext",
            description="Nội dung thi đua của Kế hoạch, mỗi dòng (Alt+Enter) một đoạn. Để trống: đoạn văn có sẵn "
                        "trong mẫu.",
            example="Thi đua hoàn thành xuất sắc các chỉ tiêu nghiệp vụ năm 2026."),
        Key("Thời gian thi đua", "contest_period", kind="longtext",
            description="Thời gian thi đua ghi trong Kế hoạch. Để trống: từ ngày ban hành Kế hoạch đến hết "
                        "\"Hạn nộp hồ sơ\".",
            example="Từ tháng 01/2026 đến hết tháng 6/2026"),
        Key("Thẩm quyền ban hành", "issuing_authority", kind="longtext",
            description="Dòng thẩm quyền dưới tên loại Quyết định, viết hoa. Để trống: chức vụ thủ trưởng ở sheet "
                        "Người ký (dòng QĐ) và tên cơ quan.",
            example="VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
        Key("Đề nghị của", "proposed_by", kind="longtext",
            description="Ghi sau \"Xét đề nghị của\" trong Quyết định. Để trống: Hội đồng Thi đua - Khen thưởng "
                        "của cơ quan.",
            example="Hội đồng Thi đua - Khen thưởng Viện kiểm sát nhân dân tỉnh Cao Bằng"),
        Key("Thi hành", "executors", kind="longtext",
            description="Người thi hành Quyết định (điều cuối). Để trống: \"Chánh Văn phòng, Thủ trưởng các đơn vị "
                        "có liên quan\".",
            example="Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan"),
    ),
)

LEGAL_BASES = TableSheet(
    name="Căn cứ",
    record=model.LegalBasis,
    description="Mỗi dòng một căn cứ pháp lý; docgen tự thêm dấu \";\" và \".\" ở cuối.",
    columns=(
        Column("STT", "stt", width=6, description="Số thứ tự (không bắt buộc).", example="1"),
        Column("Căn cứ", "text", required=True, width=90,
               description="Nội dung căn cứ, bắt đầu bằng \"Căn cứ\".",
               example="Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"),
    ),
)

UNITS = TableSheet(
    name="Đơn vị",
    record=model.Unit,
    description="Các đơn vị trực thuộc (dùng để kiểm tra tỷ lệ, xếp hạng). Có thể thêm cột chỉ tiêu.",
    columns=(
        Column("STT", "stt", width=6, description="Số thứ tự.", example="1"),
        Column("Tên đơn vị", "name", required=True, width=40, description="Tên đơn vị.",
               example="Phòng Thực hành quyền công tố và kiểm sát điều tra án hình sự"),
        Column("Số biên chế", "staff_count", kind="int", width=12, description="Số biên chế của đơn vị.",
               example="12"),
        Column("Loại đơn vị", "kind", width=20, description="Ví dụ: Phòng, VKSND khu vực, VKSND tỉnh.",
               example="Phòng"),
        Column("Ghi chú", "note", width=30, description="Ghi chú (không bắt buộc).", example=""),
    ),
)

COLLECTIVES = TableSheet(
    name="Tập thể",
    record=model.Collective,
    description="Tập thể được đề nghị khen thưởng; mỗi dòng một tập thể. Có thể thêm cột chỉ tiêu.",
    columns=(
        Column("STT", "stt", width=6, description="Số thứ tự.", example="1"),
        Column("Tên tập thể", "name", required=True, width=40, description="Tên đầy đủ của tập thể.",
               example="Phòng Thực hành quyền công tố và kiểm sát điều tra án hình sự"),
        Column("Đơn vị", "unit", width=30, description="Đơn vị (theo sheet Đơn vị).",
               example="Viện kiểm sát nhân dân tỉnh Cao Bằng"),
        Column("Hình thức đề nghị", "award", required=True, width=32, vocab=AWARD_VOCAB,
               description="Danh hiệu hoặc hình thức khen thưởng đề nghị.", example="Tập thể lao động xuất sắc"),
        Column("Số biên chế", "staff_count", kind="int", width=12, description="Tổng số cán bộ.", example="12"),
        Column("Địa chỉ", "address", width=30, description="Địa chỉ trụ sở.", example="Số 10, phố Hoàng Đình Giong"),
        Column("Điện thoại", "phone", width=16, description="Số điện thoại.", example="0206 3852 123"),
        Column("Năm thành lập", "founded_year", kind="year", width=12, description="Năm thành lập.",
               example="1960"),
        Column("Thủ trưởng", "head", width=24, description="Họ tên thủ trưởng tập thể.", example="Nông Văn Bình"),
        Column("Chức năng, nhiệm vụ", "duties", kind="longtext", width=40,
               description="Chức năng, nhiệm vụ được giao (xuống dòng bằng Alt+Enter).",
               example="Thực hành quyền công tố và kiểm sát điều tra các vụ án hình sự."),
        Column("Thành tích", "achievements", kind="longtext", width=60,
               description="Thành tích đạt được; mỗi đoạn xuống dòng (Alt+Enter) thành một đoạn văn.",
               example="Hoàn thành xuất sắc các chỉ tiêu nghiệp vụ năm 2026."),
        Column("Kỷ luật", "discipline", width=18,
               description="Để trống hoặc \"Không\" nếu không bị kỷ luật; ghi hình thức kỷ luật nếu có.",
               example="Không"),
    ),
)

INDIVIDUALS = TableSheet(
    name="Cá nhân",
    record=model.Individual,
    description="Cá nhân được đề nghị khen thưởng; mỗi dòng một người. Có thể thêm cột chỉ tiêu.",
    columns=(
        Column("STT", "stt", width=6, description="Số thứ tự.", example="1"),
        Column("Họ và tên", "full_name", required=True, width=26, aliases=("Họ tên",),
               description="Họ và tên đầy đủ, viết thường có dấu.", example="Nguyễn Thị Lan"),
        Column("Giới tính", "gender", width=10, vocab=GENDERS, description="Nam hoặc Nữ.", example="Nữ"),
        Column("Ngày sinh", "birth_date", kind="date", width=14, description="Ngày sinh (dd/mm/yyyy).",
               example="05/03/1980"),
        Column("Quê quán", "hometown", width=24, description="Quê quán.", example="Hòa An, Cao Bằng"),
        Column("Trú quán", "residence", width=24, description="Nơi ở hiện nay.",
               example="Phường Thục Phán, Cao Bằng"),
        Column("Chức vụ", "position", width=22, description="Chức vụ (Đảng, chính quyền, đoàn thể).",
               example="Kiểm sát viên trung cấp"),
        Column("Đơn vị", "unit", width=30, description="Đơn vị công tác (theo sheet Đơn vị).",
               example="Phòng Thực hành quyền công tố và kiểm sát điều tra án hình sự"),
        Column("Trình độ chuyên môn", "qualification", width=20, description="Trình độ chuyên môn, nghiệp vụ.",
               example="Cử nhân Luật"),
        Column("Hình thức đề nghị", "award", required=True, width=32, vocab=AWARD_VOCAB,
               description="Danh hiệu hoặc hình thức khen thưởng đề nghị.", example="Chiến sĩ thi đua cơ sở"),
        Column("Thành tích", "achievements", kind="longtext", width=60,
               description="Thành tích đạt được; mỗi đoạn xuống dòng (Alt+Enter) thành một đoạn văn.",
               example="Giải quyết 45 vụ án, không có án bị hủy, trả hồ sơ do lỗi chủ quan."),
        Column("Kỷ luật", "discipline", width=18,
               description="Để trống hoặc \"Không\" nếu không bị kỷ luật; ghi hình thức kỷ luật nếu có.",
               example="Không"),
        Column("Ngày tuyển dụng", "recruited_on", kind="date", width=14,
               description="Ngày tuyển dụng (dd/mm/yyyy), dùng xét Lao động tiên tiến.", example="01/09/2010"),
        Column("Nhiệm vụ", "duties", kind="longtext", width=40,
               aliases=("Quyền hạn, nhiệm vụ", "Quyền hạn nhiệm vụ", "Nhiệm vụ được giao"),
               description="Quyền hạn, nhiệm vụ được giao (mục I của Báo cáo thành tích). Để trống: docgen viết "
                           "từ Chức vụ và Đơn vị.",
               example="Kiểm sát viên, thực hành quyền công tố và kiểm sát xét xử các vụ án hình sự."),
    ),
)

PAST_AWARDS = TableSheet(
    name="Khen thưởng",
    record=model.PastAward,
    description="Các danh hiệu, hình thức khen thưởng đã nhận (mục III của Báo cáo thành tích).",
    columns=(
        Column("Đối tượng", "subject", required=True, width=30,
               description="Họ và tên hoặc Tên tập thể, ghi đúng như ở sheet Cá nhân / Tập thể.",
               example="Nguyễn Thị Lan"),
        Column("Năm", "year", kind="year", width=8, description="Năm được khen thưởng.", example="2025"),
        Column("Danh hiệu/Hình thức", "title", required=True, width=36, aliases=("Danh hiệu", "Hình thức"),
               description="Danh hiệu thi đua hoặc hình thức khen thưởng.", example="Chiến sĩ thi đua cơ sở"),
        Column("Số quyết định", "decision_no", width=18, description="Số, ký hiệu quyết định.",
               example="25/QĐ-VKSCB"),
        Column("Ngày quyết định", "decision_date", kind="date", width=14, description="Ngày quyết định.",
               example="15/12/2025"),
        Column("Cơ quan ban hành", "issuer", width=30, description="Cơ quan ban hành quyết định.",
               example="VKSND tỉnh Cao Bằng"),
    ),
)

COUNCIL = TableSheet(
    name="Hội đồng",
    record=model.CouncilMember,
    description="Thành viên Hội đồng Thi đua - Khen thưởng (cho Biên bản họp).",
    columns=(
        Column("STT", "stt", width=6, description="Số thứ tự.", example="1"),
        Column("Họ và tên", "full_name", required=True, width=26, aliases=("Họ tên",),
               description="Họ và tên thành viên.", example="Hoàng Văn Đức"),
        Column("Chức vụ", "position", width=30, description="Chức vụ.", example="Viện trưởng"),
        Column("Vai trò", "role", width=20, vocab=ROLES, description="Vai trò trong Hội đồng.", example="Chủ tịch"),
        Column("Có mặt", "present", kind="presence", width=10, vocab=PRESENCE,
               description="Có hoặc Vắng.", example="Có"),
    ),
)

VOTES = TableSheet(
    name="Biểu quyết",
    record=model.Vote,
    description="Kết quả biểu quyết của Hội đồng, mỗi đối tượng một dòng. Tỷ lệ tính trên tổng số thành viên.",
    columns=(
        Column("Đối tượng", "subject", required=True, width=34,
               description="Họ và tên hoặc Tên tập thể, ghi đúng như ở sheet Cá nhân / Tập thể.",
               example="Nguyễn Thị Lan"),
        Column("Hình thức đề nghị", "award", width=32, vocab=AWARD_VOCAB, description="Hình thức được biểu quyết.",
               example="Chiến sĩ thi đua cơ sở"),
        Column("Đồng ý", "yes", kind="int", required=True, width=10, description="Số phiếu đồng ý.", example="6"),
        Column("Không đồng ý", "no", kind="int", width=12, description="Số phiếu không đồng ý.", example="0"),
    ),
)

RECIPIENTS = TableSheet(
    name="Nơi nhận",
    record=model.Recipient,
    description="Nơi nhận của từng văn bản, mỗi dòng một nơi, theo thứ tự; không cần gạch đầu dòng và dấu \";\".",
    columns=(
        Column("Văn bản", "doc_type", kind="doc_type", required=True, width=10, vocab=DOC_TYPES,
               description="KH, TTr, BB, BC hoặc QĐ.", example="TTr"),
        Column("Nơi nhận", "text", required=True, width=60, description="Tên nơi nhận.",
               example="VP VKSND tối cao (để báo cáo)"),
    ),
)

SIGNERS = TableSheet(
    name="Người ký",
    record=model.Signer,
    description="Người ký từng văn bản. Quyền hạn: để trống, TM., KT., TL., TUQ. hoặc Q.",
    columns=(
        Column("Văn bản", "doc_type", kind="doc_type", required=True, width=10, vocab=DOC_TYPES,
               description="KH, TTr, BB, BC hoặc QĐ.", example="TTr"),
        Column("Quyền hạn", "authority", kind="authority", width=10, vocab=AUTHORITIES,
               description="TM., KT., TL., TUQ., Q. hoặc để trống.", example="KT."),
        Column("Chức vụ thủ trưởng", "head_title", width=28,
               description="Chức vụ của người đứng đầu (dòng sau quyền hạn). Nhiều cấp: ngăn bằng \"/\".",
               example="VIỆN TRƯỞNG"),
        Column("Chức vụ người ký", "signer_title", width=28, description="Chức vụ của người ký.",
               example="PHÓ VIỆN TRƯỞNG"),
        Column("Họ và tên", "full_name", required=True, width=26, aliases=("Họ tên",),
               description="Họ và tên người ký, viết thường có dấu, không ghi học hàm, học vị.",
               example="Phạm Mỹ An"),
    ),
)

RULE_SETTINGS_SHEET = "Quy tắc"

TABLE_SHEETS: tuple[TableSheet, ...] = (
    LEGAL_BASES, UNITS, COLLECTIVES, INDIVIDUALS, PAST_AWARDS, COUNCIL, VOTES, RECIPIENTS, SIGNERS,
)

