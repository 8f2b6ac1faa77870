"""The pipeline: read → check → assemble → render → write.

:func:`build` is what ``docgen build`` and ``docgen demo`` call.  Nothing is written until every
document has rendered in memory, so bad input or a broken template leaves the output folder untouched.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from . import pdf as pdf_export, reader, write
from .documents import REGISTRY
from .resources import (PACKAGE_DIR, builtin_templates_dir, default_outdir, demo_workbook,  # noqa: F401
                        find_template, fixtures_dir)
from .validation import check
from .errors import Report, ValidationFailed
from .evaluation import Evaluation
from .model import Campaign
from .progress import PDF, ProgressCallback, emit

@dataclass
class BuildResult:
    outdir: Path
    report: Report
    evaluation: Evaluation
    documents: set[str]
    files: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    print_file: Path | None = None            # pdf/ho-so-de-nghi-khen-thuong.pdf (with --pdf)
    notes: list[str] = field(default_factory=list)   # how it was built (--verbose)

    @property
    def docx_files(self) -> list[Path]:
        return [f for f in self.files if f.suffix == ".docx"]


def validate(workbook: str | Path, *, documents: set[str] | None = None,
             today: date | None = None) -> tuple[Campaign, Report, Evaluation, set[str]]:
    """Read and check without writing anything."""
    campaign = reader.load_campaign(workbook)
    report, evaluation, docs = check(campaign, documents, today=today)
    return campaign, report, evaluation, docs


def build(workbook: str | Path, outdir: str | Path | None = None, *, only: set[str] | None = None,
          force: bool = False, templates_dir: str | Path | None = None, today: date | None = None,
          pdf: bool = False, jobs: int | None = None, progress: ProgressCallback | None = None) -> BuildResult:
    """Build every document of the campaign.  Raises :class:`ValidationFailed` (nothing written) when
    the workbook has blocking errors, :class:`TemplateError` when a template is broken.  ``jobs``: worker
    processes (None: every core for a large batch); ``progress`` is called with a
    :class:`docgen.progress.ProgressEvent` per document rendered and written, and around the PDF export."""
    workbook = Path(workbook)
    outdir = Path(outdir) if outdir is not None else default_outdir(workbook)
    campaign, report, evaluation, documents = validate(workbook, documents=only, today=today)
    if not report.ok:
        raise ValidationFailed(report)
    if pdf and pdf_export.find_soffice() is None:      # say so before writing anything
        from .errors import MissingSystemTool

        raise MissingSystemTool(pdf_export.INSTALL_HINT)

    from . import assemble, batch

    specs = assemble.plan_specs(campaign, evaluation, only=documents, today=today)
    found = {name: find_template(name, templates_dir=templates_dir, workbook=workbook)
             for name in dict.fromkeys(spec.template for spec in specs)}
    from .lint import refuse_broken_templates

    firsts = [next(s for s in specs if s.template == name).job() for name in found]
    refuse_broken_templates(firsts, found)          # the same lint as docgen templates lint
    extra_names = ["danh-sach.xlsx"] if documents & REGISTRY.where("lists_proposals") and campaign.candidates else []
    extra_names.append("kiem-tra.txt")
    relpaths = write.unique_paths([*(spec.output for spec in specs), *extra_names])
    planned = list(relpaths)
    if pdf:          # the PDFs (one per document, and the print file) must not replace files silently either
        planned += [PurePosixPath("pdf", f"{PurePosixPath(r).stem}.pdf") for r in relpaths if str(r).endswith(".docx")]
        planned.append(PurePosixPath("pdf", PRINT_FILE))
    write.check_can_write(outdir, planned, force)
    write.clean_stale_temporaries(outdir)
    staging = batch.StagingFolder(outdir)
    try:
        notes = batch.render_batch(specs, [found[s.template] for s in specs], [str(r) for r in relpaths[:len(specs)]],
                                   staging.add, jobs=batch.choose_jobs(jobs, len(specs)), progress=progress,
                                   campaign=campaign, evaluation=evaluation, only=documents, today=today)
        extra = {"danh-sach.xlsx": lambda: danh_sach_xlsx(campaign, evaluation),
                 "kiem-tra.txt": lambda: kiem_tra_text(campaign, report, evaluation).encode("utf-8")}
        for name, rel in zip(extra_names, relpaths[len(specs):]):
            staging.add(str(rel), extra[name]())
        files = staging.commit()
    except BaseException:
        staging.discard()
        raise
    result = BuildResult(outdir, report, evaluation, documents, files, notes=notes)
    if pdf:
        docx = [f for f in files if f.suffix == ".docx"]
        emit(progress, PDF, 0, len(docx), "")
        result.pdfs = pdf_export.convert_to_pdf(docx, outdir / "pdf", jobs=jobs)
        emit(progress, PDF, len(docx), len(docx), "")
        printable = print_order(specs, dict(zip((s.output for s in specs), files)), result.pdfs)
        if printable:
            result.print_file = pdf_export.merge_pdfs(printable, outdir / "pdf" / PRINT_FILE)
    return result


PRINT_FILE = "ho-so-de-nghi-khen-thuong.pdf"


def print_order(jobs, written: dict[str, Path], pdfs: list[Path]) -> list[tuple[Path, str]]:
    """(pdf, title) of the documents of the hồ sơ đề nghị khen thưởng, in the order it is filed (the kinds'
    ``print_order``: Tờ trình with its danh sách, Biên bản, then the Báo cáo thành tích of every candidate
    proposed, in the order of the sheets)."""
    by_stem = {p.stem: p for p in pdfs}
    parts = []
    for kind in REGISTRY.in_print_order():
        for job in jobs:
            if job.key != kind.key:
                continue
            if kind.per_candidate and not job.proposed:
                continue                              # not proposed: its report stays out of the hồ sơ
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
    body = [[r.get("stt"), r.get("ten"), r.get("chuc_vu"), r.get("don_vi"), r.get("hinh_thuc"),
             r.get("loai"), r.get("ty_le"), r.get("tien_thuong")] for r in rows]
    info = campaign.info
    heading = f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG – {info.movement_name}".strip(" –")
    return write.spreadsheet_bytes("Danh sách", headers, body, widths=[6, 32, 24, 36, 34, 10, 12, 16],
                                   heading=heading)


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
                        f"({vietnamese.format_percent(s.vote.percent)}, cần {s.vote.threshold_text}): "
                        f"{'Đạt' if s.vote.passed else 'Không đạt'}")
            state = "ĐỀ NGHỊ" if s.proposed else "KHÔNG ĐỀ NGHỊ"
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
