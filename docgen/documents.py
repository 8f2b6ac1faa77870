"""The document kinds: one registry that every stage reads.

A document kind says everything the pipeline needs to know about one type of document of the hồ sơ: its key
(``--only``), its ND30 code (the "Văn bản" column of the "Người ký" and "Nơi nhận" sheets, the ký hiệu), the
names a clerk reads, its templates and output file, what data it needs, which thi đua checks concern it, its
place in the print file, and the function of :mod:`docgen.assemble` that builds its context.

Adding a document kind means one :class:`DocumentKind` in :data:`KINDS`, its template (``templates/``) and its
context function.  This module imports no other stage, so every stage may import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, Callable

ContextFunction = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class DocumentKind:
    key: str                               # "to-trinh": --only, document keys everywhere in the code
    code: str                              # "TTr": ND30 code, "Văn bản" column values, ký hiệu "12/TTr-VKSCB"
    name: str                              # "Tờ trình": in messages ("Chưa tạo Tờ trình: …")
    title: str                             # "Tờ trình": document title property, print-file bookmark
    templates: tuple[str, ...]             # template file names; per-candidate kinds: (cá nhân, tập thể)
    output: str                            # output path; per-candidate kinds: the folder of the reports
    context: str | ContextFunction         # "docgen.assemble:to_trinh_context" or a function
    aliases: tuple[str, ...] = ()          # other spellings accepted by --only (folded, "-" between words)
    code_names: tuple[str, ...] = ()       # spellings of the code in the workbook (folded, no spaces or dots)
    per_candidate: bool = False            # one document per tập thể / cá nhân
    needs_signer: bool = False             # a "Người ký" row for ``code`` is required
    optional: bool = False                 # without its signer row the kind is skipped without a warning
    needs_candidates: bool = False         # needs rows in "Tập thể" / "Cá nhân"
    needs_council: bool = False            # needs the "Hội đồng" and "Biểu quyết" sheets
    needs_proposals: bool = False          # a document for nobody proposed is not a document
    lists_candidates: bool = False         # thi đua checks on candidates concern it (eligibility, duplicates)
    lists_proposals: bool = False          # who is proposed matters (votes, quotas, money)
    needs_every_vote: bool = False         # every candidate needs a vote row
    sent_upward: bool = False              # part of the hồ sơ sent upward: the deadline applies
    prints_legal_bases: bool = False       # prints the "Căn cứ" lines (their validity is checked)
    print_order: int | None = None         # place in the print file of the hồ sơ đề nghị (None: not in it)
    first_recipient: str | None = None     # Nơi nhận line fixed first by ND30 ("Như trên", "Như Điều 3")
    confirms_reports: int | None = None    # its signer confirms the Báo cáo thành tích: 1 first, 2 next…
    context_sections: tuple[str, ...] = ("chung",)   # shared parts of its context (docgen.context_schema)
    variables: str | tuple = ()            # its own template variables: "docgen.context_schema:TO_TRINH" or Vars

    def context_function(self) -> ContextFunction:
        if callable(self.context):
            return self.context
        module, _, name = self.context.partition(":")
        return getattr(import_module(module), name)

    def own_variables(self) -> tuple:
        """The description of the variables only this kind's context has (docgen.context_schema.Var)."""
        if isinstance(self.variables, str):
            module, _, name = self.variables.partition(":")
            return tuple(getattr(import_module(module), name))
        return tuple(self.variables)

    def template_for(self, candidate: Any = None) -> str:
        """The template file name; for a per-candidate kind, the tập thể form for a collective."""
        if self.per_candidate and getattr(candidate, "kind", "") == "tap_the" and len(self.templates) > 1:
            return self.templates[1]
        return self.templates[0]


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "ke-hoach", "KH", "Kế hoạch", "Kế hoạch", ("ke-hoach.docx",), "ke-hoach.docx",
        "docgen.assemble:ke_hoach_context", context_sections=("chung",),
        variables="docgen.context_schema:KE_HOACH", aliases=("kh",), code_names=("kh", "kehoach"),
        needs_signer=True, prints_legal_bases=True, confirms_reports=3),
    DocumentKind(
        "to-trinh", "TTr", "Tờ trình", "Tờ trình", ("to-trinh.docx",), "to-trinh.docx",
        "docgen.assemble:to_trinh_context", context_sections=("chung", "danh-sach"),
        variables="docgen.context_schema:TO_TRINH", aliases=("ttr",), code_names=("ttr", "totrinh"),
        needs_signer=True, needs_candidates=True, needs_proposals=True, lists_candidates=True,
        lists_proposals=True, needs_every_vote=True, sent_upward=True, prints_legal_bases=True,
        print_order=1, first_recipient="Như trên", confirms_reports=2),
    DocumentKind(
        "bien-ban", "BB", "Biên bản họp Hội đồng", "Biên bản họp Hội đồng Thi đua - Khen thưởng",
        ("bien-ban-hop.docx",), "bien-ban-hop.docx", "docgen.assemble:bien_ban_context", context_sections=("chung", "danh-sach"),
        variables="docgen.context_schema:BIEN_BAN",
        aliases=("bien-ban-hop", "bb"), code_names=("bb", "bienban", "bienbanhop"),
        needs_candidates=True, needs_council=True, lists_candidates=True, lists_proposals=True,
        needs_every_vote=True, sent_upward=True, print_order=2),
    DocumentKind(
        "bao-cao", "BC", "Báo cáo thành tích", "Báo cáo thành tích",
        ("bao-cao-ca-nhan.docx", "bao-cao-tap-the.docx"), "bao-cao-thanh-tich",
        "docgen.assemble:bao_cao_context", context_sections=("chung",),
        variables="docgen.context_schema:BAO_CAO", aliases=("bao-cao-thanh-tich", "bc"),
        code_names=("bc", "baocao", "baocaothanhtich"), per_candidate=True, needs_candidates=True,
        lists_candidates=True, sent_upward=True, print_order=3, first_recipient="Như trên",
        confirms_reports=1),
    DocumentKind(
        "quyet-dinh", "QĐ", "Quyết định khen thưởng", "Quyết định khen thưởng", ("quyet-dinh.docx",),
        "quyet-dinh.docx", "docgen.assemble:quyet_dinh_context", context_sections=("chung", "danh-sach"),
        variables="docgen.context_schema:QUYET_DINH", aliases=("qd",),
        code_names=("qd", "quyetdinh"), needs_signer=True, optional=True, needs_candidates=True,
        needs_proposals=True, lists_candidates=True, lists_proposals=True, prints_legal_bases=True,
        first_recipient="Như Điều 3", confirms_reports=4),
)


class Registry:
    """The kinds in use, in their order; :data:`REGISTRY` is the one docgen runs with (tests may
    :meth:`register` a throw-away kind and :meth:`unregister` it again)."""

    def __init__(self, kinds: tuple[DocumentKind, ...]) -> None:
        self._kinds: list[DocumentKind] = list(kinds)

    def __iter__(self):
        return iter(list(self._kinds))

    def __len__(self) -> int:
        return len(self._kinds)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k.key for k in self._kinds)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(k.code for k in self._kinds)

    def get(self, key: str) -> DocumentKind:
        for k in self._kinds:
            if k.key == key:
                return k
        raise KeyError(key)

    def by_code(self, code: str) -> DocumentKind | None:
        return next((k for k in self._kinds if k.code == code), None)

    def code_of(self, key: str) -> str:
        return self.get(key).code

    def name_of(self, key: str) -> str:
        return self.get(key).name

    def where(self, flag: str) -> frozenset[str]:
        """The keys of the kinds with ``flag`` set, e.g. ``where("sent_upward")``."""
        return frozenset(k.key for k in self._kinds if getattr(k, flag))

    def find(self, text: str) -> DocumentKind | None:
        """A kind from what a clerk typed in ``--only`` (key, alias or code, any case and accents)."""
        from .text import slug

        wanted = slug(text)
        for k in self._kinds:
            if wanted == k.key or wanted in k.aliases:
                return k
        return None

    def from_code_text(self, folded: str) -> str | None:
        """The code for a "Văn bản" cell, folded with spaces and dots removed ("totrinh" → "TTr")."""
        for k in self._kinds:
            if folded in k.code_names:
                return k.code
        return None

    def parse_only(self, value: str | None) -> set[str] | None:
        """``--only ke-hoach,to-trinh`` → {"ke-hoach", "to-trinh"}; raises ValueError naming bad items."""
        if not value:
            return None
        out, bad = set(), []
        for item in value.split(","):
            if not item.strip():
                continue
            kind = self.find(item)
            if kind is None:
                bad.append(item.strip())
            else:
                out.add(kind.key)
        if bad:
            raise ValueError(f'Không có loại văn bản {", ".join(repr(b) for b in bad)}; '
                             f'chọn trong: {", ".join(self.keys)}.')
        return out

    def in_build_order(self) -> list[DocumentKind]:
        """Documents of the campaign first, then the per-candidate ones (the order files are planned in)."""
        return [k for k in self._kinds if not k.per_candidate] + [k for k in self._kinds if k.per_candidate]

    def in_print_order(self) -> list[DocumentKind]:
        return sorted((k for k in self._kinds if k.print_order is not None), key=lambda k: k.print_order)

    def report_confirmers(self) -> list[str]:
        """The codes whose signer confirms a Báo cáo thành tích, the first one present in "Người ký" wins."""
        ranked = sorted((k for k in self._kinds if k.confirms_reports is not None), key=lambda k: k.confirms_reports)
        return [k.code for k in ranked]

    def register(self, kind: DocumentKind) -> None:
        if any(k.key == kind.key or k.code == kind.code for k in self._kinds):
            raise ValueError(f"document kind {kind.key!r} ({kind.code}) is already registered")
        self._kinds.append(kind)

    def unregister(self, key: str) -> None:
        self._kinds = [k for k in self._kinds if k.key != key]


REGISTRY = Registry(KINDS)
