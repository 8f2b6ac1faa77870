"""Dates: the hồ sơ sent upward before the deadline, and each căn cứ in force on the date of the document
that cites it."""
from __future__ import annotations

from ..documents import REGISTRY
from ..errors import Severity
from ..vietnamese import short_date
from .catalog import find_legal_texts
from .context import INFO, LEGAL, Round, deadline_docs, legal_docs


def check_deadline(r: Round) -> None:
    if r.info.deadline is not None:
        deadline, source, row = r.info.deadline, None, r.info.rows.get("deadline")
    elif r.rules.deadline is not None:
        deadline, source, row = r.rules.deadline, r.rules.deadline_source, None
    else:
        return
    late = [(r.dates[d], d) for d in REGISTRY.keys if d in deadline_docs() and d in r.docs
            and r.dates[d] > deadline]
    if late:
        when, doc = max(late)
        r.add(deadline_docs(), f"{REGISTRY.name_of(doc)} ghi ngày {short_date(when)}, đã quá hạn nộp hồ sơ "
              f"({short_date(deadline)}); hồ sơ gửi chậm có thể không được tiếp nhận.", Severity.WARNING, INFO,
              row, "Giá trị", "qua-han-nop", source)


def check_legal_bases(r: Round) -> None:
    asked = [d for d in REGISTRY.keys if d in legal_docs() and d in r.docs]
    for basis in r.campaign.legal_bases:
        for text in find_legal_texts(basis.text):
            for doc in asked:
                on = r.dates[doc]
                dated = f"{REGISTRY.name_of(doc)} ban hành ngày {short_date(on)}"
                if text.effective_until is not None and on >= text.effective_until:
                    new = r.cat.legal_text(text.replaced_by) if text.replaced_by else None
                    instead = f"; thay bằng {new.name}" if new else ""
                    r.add(legal_docs(), f"Căn cứ dẫn {text.name}, đã hết hiệu lực từ ngày "
                          f"{short_date(text.effective_until)} ({dated}){instead}.", Severity.WARNING, LEGAL,
                          basis.row, "Căn cứ", "can-cu-het-hieu-luc", new.name if new else text.name)
                    break
                if text.effective_from is not None and on < text.effective_from:
                    r.add(legal_docs(), f"Căn cứ dẫn {text.name}, chưa có hiệu lực ({dated}; có hiệu lực từ "
                          f"ngày {short_date(text.effective_from)}).", Severity.WARNING, LEGAL, basis.row, "Căn cứ",
                          "can-cu-chua-hieu-luc", text.name)
                    break
