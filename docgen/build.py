"""The pipeline: read → check → assemble → render → write.

:func:`build` is what ``docgen build`` and ``docgen demo`` call.  The output is one transaction
(:class:`docgen.write.StagedOutput`): documents are rendered one at a time into a staging folder and moved
into place together, so bad input, a broken template, a full disk or an interruption leaves the output
folder exactly as it was.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from . import pdf as pdf_export, reader, write
from .documents import REGISTRY
from .resources import (PACKAGE_DIR, builtin_templates_dir, default_outdir, demo_workbook,  # noqa: F401
                        find_template, fixtures_dir, is_builtin_template)
from .validation import check
from .errors import Report, ValidationFailed
from .evaluation import Evaluation
from .model import Campaign
from .progress import PDF, WRITE, ProgressCallback, emit

@dataclass
class BuildResult:
    outdir: Path
    report: Report
    evaluation: Evaluation
    documents: set[str]
    files: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    print_file: Path | None = None            # pdf/ho-so-de-nghi-khen-thuong.pdf (with --pdf)
    removed: list[Path] = field(default_factory=list)    # stale PDFs of replaced documents (without --pdf)
    restored: list[Path] = field(default_factory=list)   # files put back from a build that was killed
    notes: list[str] = field(default_factory=list)       # how it was built (--verbose)

    @property
    def docx_files(self) -> list[Path]:
        return [f for f in self.files if f.suffix == ".docx"]


def validate(workbook: str | Path, *, documents: set[str] | None = None, today: date | None = None,
             helper=None) -> tuple[Campaign, Report, Evaluation, set[str]]:
    """Read and check without writing anything.  ``helper``: reads large sheets in another process
    (:func:`docgen.reader.load_campaign`)."""
    campaign = reader.load_campaign(workbook, helper=helper)
    report, evaluation, docs = check(campaign, documents, today=today)
    return campaign, report, evaluation, docs


def build(workbook: str | Path, outdir: str | Path | None = None, *, only: set[str] | None = None,
          force: bool = False, templates_dir: str | Path | None = None, today: date | None = None,
          pdf: bool = False, jobs: int | None = None, progress: ProgressCallback | None = None) -> BuildResult:
    """Build every document of the campaign.  Raises :class:`ValidationFailed` (nothing written) when
    the workbook has blocking errors, :class:`TemplateError` when a template is broken.  ``jobs``: worker
    processes (None: every core for a large batch); ``progress`` is called with a
    :class:`docgen.progress.ProgressEvent` per rendered document, per written file and around the PDF export."""
    from . import batch

    workbook = Path(workbook)
    outdir = Path(outdir) if outdir is not None else default_outdir(workbook)
    # Forked workers start now and warm up while the workbook is read; in a process with threads (the web
    # server) workers are spawned, each a new interpreter, so they are started only once the batch's size is
    # known (one for a small round).
    early = batch.Workers(jobs or batch.cores()) if batch.can_fork() else contextlib.nullcontext()
    with early as workers, _fewer_collections():
        return _build(workbook, outdir, workers, only=only, force=force, templates_dir=templates_dir,
                      today=today, pdf=pdf, jobs=jobs, progress=progress)


@contextlib.contextmanager
def _fewer_collections():
    """While a build reads its workbook (a hundred thousand objects made, nearly none in cycles), the cycle
    collector runs a hundred times less often: 5 % of reading and checking."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(70_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(workbook: Path, outdir: Path, workers, *, only, force, templates_dir, today, pdf, jobs,
           progress) -> BuildResult:
    helper = getattr(workers, "read_ahead", None)      # the early workers read the large sheets alongside
    campaign, report, evaluation, documents = validate(workbook, documents=only, today=today, helper=helper)
    if not report.ok:
        raise ValidationFailed(report)
    if pdf and pdf_export.find_soffice() is None:      # say so before writing anything
        from .errors import MissingSystemTool

        raise MissingSystemTool(pdf_export.INSTALL_HINT)

    from . import assemble, batch

    specs = assemble.plan_specs(campaign, evaluation, only=documents, today=today)
    extras = []
    if documents & REGISTRY.where("lists_proposals") and campaign.candidates:
        extras.append("danh-sach.xlsx")
    extras.append("kiem-tra.txt")
    relpaths = write.unique_paths([*(spec.output for spec in specs), *extras])
    docx_rel, extra_rel = relpaths[:len(specs)], relpaths[len(specs):]
    planned = list(relpaths)
    if pdf:          # the PDFs (one per document, and the print file) must not replace files silently either
        planned += [PurePosixPath("pdf", f"{r.stem}.pdf") for r in docx_rel]
        planned.append(PurePosixPath("pdf", PRINT_FILE))
    result = BuildResult(outdir, report, evaluation, documents, [outdir / r for r in relpaths])
    with tempfile.TemporaryDirectory(prefix="docgen-mau-") as tmp:
        originals = {name: find_template(name, templates_dir=templates_dir, workbook=workbook)
                     for name in dict.fromkeys(spec.template for spec in specs)}
        templates = _checked_templates(originals, report, Path(tmp))
        if not all(is_builtin_template(path) for path in templates.values()):   # a clerk's template
            from .lint import refuse_broken_templates

            firsts = {}
            for spec in specs:                 # the lint tries each template with its first document
                if spec.template not in firsts:
                    firsts[spec.template] = spec.job()
            refuse_broken_templates(list(firsts.values()), templates, originals)   # before writing
        made: dict[str, bytes] = {}

        def meanwhile() -> None:            # while the workers render: the parent's core is free
            if "danh-sach.xlsx" in extras:
                made["danh-sach.xlsx"] = danh_sach_xlsx(campaign, evaluation)

        with write.StagedOutput(outdir, planned, force) as out:
            result.notes = batch.render_batch(
                specs, [templates[spec.template] for spec in specs], docx_rel, out,
                jobs=batch.choose_jobs(jobs, len(specs)), progress=progress, files=len(relpaths),
                planning=dict(campaign=campaign, evaluation=evaluation, only=documents, today=today), pool=workers,
                meanwhile=meanwhile)
            for number, (rel, name) in enumerate(zip(extra_rel, extras), start=len(specs) + 1):
                if name == "danh-sach.xlsx":
                    out.add(rel, made["danh-sach.xlsx"])
                else:            # last: it carries the template notes found while rendering
                    out.add(rel, kiem_tra_text(campaign, report, evaluation).encode("utf-8"))
                emit(progress, WRITE, number, len(relpaths), str(rel))
            if pdf:
                emit(progress, PDF, 0, len(docx_rel), "")
                _stage_pdfs(out, result, specs, docx_rel, jobs)
                emit(progress, PDF, len(docx_rel), len(docx_rel), "")
            else:
                result.removed = _stale_pdfs(out, outdir, docx_rel)
            out.commit()
    result.restored = [outdir / r for r in out.restored]
    return result


def _checked_templates(originals: dict[str, Path], report: Report, tmp: Path) -> dict[str, Path]:
    """Template file name → the file to render.  A template that is not built in is checked like a workbook
    and copied without macros and external links (:func:`docgen.safety.sanitise_template`); what was removed
    becomes a warning."""
    from .errors import Problem, Severity
    from .safety import sanitise_template

    checked: dict[str, Path] = {}
    for name, template in originals.items():
        if is_builtin_template(template):
            checked[name] = template
        else:
            copy, notes = sanitise_template(template, tmp / str(len(checked)))
            checked[name] = copy
            report.extend(Problem(n, Severity.WARNING, rule="mau-khong-an-toan") for n in notes)
    return checked


def _stage_pdfs(out: "write.StagedOutput", result: BuildResult, jobs, docx_rel, processes: int | None) -> None:
    """PDFs of the staged documents, converted inside the staging folder: a LibreOffice failure or an
    interruption leaves the previous PDFs as they were."""
    staged = [out.path(r) for r in docx_rel]
    pdfs = pdf_export.convert_to_pdf(staged, out.path("pdf"), jobs=processes)
    for p in pdfs:
        out.adopt(PurePosixPath("pdf", p.name))
    printable = print_order(jobs, {job.output: path for job, path in zip(jobs, staged)}, pdfs)
    final = result.outdir / "pdf"
    result.pdfs = [final / p.name for p in pdfs]
    if printable:
        pdf_export.merge_pdfs(printable, out.path(PurePosixPath("pdf", PRINT_FILE)))
        out.adopt(PurePosixPath("pdf", PRINT_FILE))
        result.print_file = final / PRINT_FILE


def _stale_pdfs(out: "write.StagedOutput", outdir: Path, docx_rel) -> list[Path]:
    """A build without --pdf that replaces documents removes their old PDFs (and the print file, which holds
    them): a pdf/ folder never shows a version of a document other than the .docx beside it."""
    pdf_dir = outdir / "pdf"
    if not pdf_dir.is_dir():
        return []
    stale = [PurePosixPath("pdf", f"{r.stem}.pdf") for r in docx_rel]
    stale.append(PurePosixPath("pdf", PRINT_FILE))
    removed = []
    for rel in dict.fromkeys(stale):
        if (outdir / rel).is_file():
            out.remove(rel)
            removed.append(outdir / rel)
    return removed


PRINT_FILE = "ho-so-de-nghi-khen-thuong.pdf"


def print_order(specs, written: dict[str, Path], pdfs: list[Path]) -> list[tuple[Path, str]]:
    """(pdf, title) of the documents of the hồ sơ đề nghị khen thưởng, in the order it is filed (the kinds'
    ``print_order``: Tờ trình with its danh sách, Biên bản, then the Báo cáo thành tích of every candidate
    proposed, in the order of the sheets)."""
    by_stem = {p.stem: p for p in pdfs}
    parts = []
    for kind in REGISTRY.in_print_order():
        for job in specs:
            if job.key != kind.key:
                continue
            if kind.per_candidate and not job.in_proposal:
                continue                              # not proposed upward: its report stays out of the hồ sơ
            docx = written.get(job.output)
            pdf = by_stem.get(docx.stem) if docx is not None else None
            if pdf is not None:
                parts.append((pdf, job.title))
    return parts


def danh_sach_xlsx(campaign: Campaign, evaluation: Evaluation) -> bytes:
    from . import assemble

    rows = assemble.proposal_rows(campaign, evaluation)
    headers = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Hình thức đề nghị", "Đối tượng",
               "Tỷ lệ đồng ý", "Tiền thưởng (đồng)"]
    widths = [6, 32, 24, 36, 34, 10, 12, 16]
    routed = evaluation.routed
    if routed:                                   # which outcome document carries each candidate
        headers.append("Văn bản")
        widths.append(24)
    body = [[r.get("stt"), r.get("ten"), r.get("chuc_vu"), r.get("don_vi"), r.get("hinh_thuc"),
             r.get("loai"), r.get("ty_le"), r.get("tien_thuong")] + ([r.get("van_ban")] if routed else [])
            for r in rows]
    info = campaign.info
    heading = f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG – {info.movement_name}".strip(" –")
    return write.spreadsheet_bytes("Danh sách", headers, body, widths=widths, heading=heading)


def kiem_tra_text(campaign: Campaign, report: Report, evaluation: Evaluation) -> str:
    from . import vietnamese

    lines = [report.to_text(f"KẾT QUẢ KIỂM TRA HỒ SƠ: {campaign.source.name if campaign.source else ''}").rstrip()]
    if evaluation.statuses:
        lines += ["", "KẾT QUẢ XÉT TỪNG ĐỐI TƯỢNG:"]
        for i, s in enumerate(evaluation.statuses, start=1):
            c = s.candidate
            vote = ""
            if s.vote is not None:
                vote = (f"; biểu quyết {s.vote.yes}/{s.vote.members} "
                        f"({vietnamese.vote_percent(s.vote.percent)}, cần {s.vote.threshold_text}): "
                        f"{'Đạt' if s.vote.passed else 'Không đạt'}")
            state = "ĐỀ NGHỊ" if s.proposed else "KHÔNG ĐỀ NGHỊ"
            if s.proposed and s.document:
                state += f", ở {REGISTRY.name_of(s.document)}" + (f" ({s.decided_by} quyết định)"
                                                                  if s.decided_by else "")
            reasons = f" – {'; '.join(s.reasons)}" if s.reasons and not s.proposed else ""
            lines.append(f"  {i:>3}. {c.display_name} ({c.award}){vote} → {state}{reasons}")
    if evaluation.ranking:
        lines += ["", f"XẾP HẠNG ĐƠN VỊ theo \"{evaluation.ranking_metric}\":"]
        for rank in evaluation.ranking:
            value = "—" if rank.value is None else vietnamese.format_number(rank.value)
            mark = " (ưu tiên)" if rank.priority else ""
            lines.append(f"  {rank.rank:>3}. {rank.unit.name}: {value}{mark}")
    return "\n".join(lines) + "\n"


def demo(outdir: str | Path | None = None, *, force: bool = False, pdf: bool = False,
         today: date | None = None) -> BuildResult:
    """Build the bundled example campaign (VKSND tỉnh Cao Bằng)."""
    outdir = Path(outdir) if outdir is not None else Path(os.getcwd()) / "docgen-demo"
    return build(demo_workbook(), outdir, force=force, pdf=pdf, today=today)
