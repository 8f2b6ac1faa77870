"""Builds in the background: a small pool of threads, each build reporting its progress through the
pipeline's :class:`docgen.progress.ProgressEvent`, so validation requests and other clerks' builds go on
while one runs."""
from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from ..build import build as build_documents
from ..errors import DocgenError, ValidationFailed
from ..progress import ProgressEvent
from . import outputs
from .store import BuildRecord, History, new_id
from .views import problem_dicts

log = logging.getLogger("docgen.web")

STAGE_LABELS = {
    "cho": "Đang chờ đến lượt",
    "check": "Đang kiểm tra bảng tính",
    "render": "Đang soạn văn bản",
    "write": "Đang ghi tệp",
    "pdf": "Đang xuất PDF bằng LibreOffice",
    "preview": "Đang tạo ảnh xem trước",
    "zip": "Đang đóng gói tệp ZIP",
    "xong": "Đã xong",
    "loi": "Không tạo được văn bản",
}


@dataclass
class Job:
    """One build; its fields are read by other threads (progress bar), written only by its own."""

    id: str
    workbook_name: str
    stages: tuple[str, ...]
    status: str = "cho"                 # cho → dang-chay → xong | loi
    stage: str = "cho"
    done: int = 0
    total: int = 0
    label: str = ""
    message: str = ""
    problems: list[dict] = field(default_factory=list)
    build_id: str | None = None
    result: object = None               # the BuildResult (for the API)
    created: float = field(default_factory=time.time)
    finished: threading.Event = field(default_factory=threading.Event)
    reached: int = 0                    # the highest percent shown: rendering and writing alternate per document

    def on_progress(self, event: ProgressEvent) -> None:
        self.move(event.stage, event.done, event.total, event.label)

    def move(self, stage: str, done: int = 0, total: int = 0, label: str = "") -> None:
        self.stage, self.done, self.total, self.label = stage, done, total, label
        self.reached = max(self.reached, self._stage_percent())

    @property
    def percent(self) -> int:
        if self.status == "xong":
            return 100
        return max(self.reached, self._stage_percent())

    def _stage_percent(self) -> int:
        if self.stage not in self.stages:
            return 0
        part = self.done / self.total if self.total else 0
        return int(100 * (self.stages.index(self.stage) + part) / len(self.stages))

    def snapshot(self) -> dict:
        return {
            "id": self.id, "status": self.status, "stage": self.stage, "stage_label": STAGE_LABELS.get(self.stage, ""),
            "done": self.done, "total": self.total, "label": self.label, "percent": self.percent,
            "message": self.message, "problems": self.problems, "build_id": self.build_id,
        }


@dataclass
class BuildRequest:
    workbook: Path
    workbook_name: str
    outdir: Path
    only: set[str] | None = None
    pdf: bool = False
    templates_dir: Path | None = None


class Jobs:
    """The pool.  ``workers`` builds run at once (LibreOffice and rendering are CPU-bound); more wait."""

    KEEP = 200

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docgen-build")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def submit(self, request: BuildRequest, after: Callable[[Job, object], None] | None = None,
               on_error: Callable[[Job], None] | None = None) -> Job:
        stages = ("check", "render", "write", *(("pdf", "preview") if request.pdf else ()), "zip")
        job = Job(new_id(), request.workbook_name, stages)
        with self._lock:
            self._jobs[job.id] = job
            for old in sorted(self._jobs.values(), key=lambda j: j.created)[: max(0, len(self._jobs) - self.KEEP)]:
                self._jobs.pop(old.id, None)
        self._pool.submit(self._run, job, request, after, on_error)
        return job

    def _run(self, job: Job, request: BuildRequest, after, on_error) -> None:
        job.status = "dang-chay"
        job.move("check")
        try:
            result = build_documents(request.workbook, request.outdir, only=request.only, pdf=request.pdf,
                                    templates_dir=request.templates_dir, progress=job.on_progress)
            job.result = result
            if after is not None:
                after(job, result)
        except ValidationFailed as exc:
            job.message = str(exc)
            job.problems = problem_dicts(exc.report.problems)
            self._fail(job, on_error)
        except DocgenError as exc:    # the message names the stored file; the clerk knows their own name
            job.message = str(exc).replace(f'"{request.workbook.name}"', f'"{request.workbook_name}"')
            self._fail(job, on_error)
        except Exception as exc:  # a bug: logged for the developers, a plain sentence for the clerk
            log.exception("build %s failed", job.id)
            job.message = (f"Lỗi không mong đợi ({type(exc).__name__}). Không có văn bản nào được lưu. "
                           "Hãy báo cho nhóm phát triển kèm bảng tính.")
            self._fail(job, on_error)
        else:
            job.status = "xong"
            job.move("xong")
        finally:
            job.finished.set()

    @staticmethod
    def _fail(job: Job, on_error) -> None:
        job.status = "loi"
        job.move("loi")
        if on_error is not None:
            on_error(job)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def finish_history_build(history: History, build_id: str, folder: Path, job: Job, result) -> None:
    """After a page build: previews, ZIP, and the Lịch sử record (written last, so a build that dies
    half-way is never listed)."""
    outdir = result.outdir
    files = [f.relative_to(outdir).as_posix() for f in result.files]
    record = BuildRecord(id=build_id, created=datetime.now().isoformat(timespec="seconds"),
                         workbook_name=job.workbook_name, documents=sorted(result.documents), files=files,
                         warnings=len(result.report.warnings))
    by_stem = {p.stem: p for p in result.pdfs}
    docx = [f for f in result.files if f.suffix == ".docx"]
    for f in docx:
        rel = f.relative_to(outdir).as_posix()
        record.titles[rel] = outputs.docx_title(f)
        if f.stem in by_stem:
            record.pdfs[rel] = by_stem[f.stem].relative_to(outdir).as_posix()
    if result.print_file is not None:
        record.print_file = result.print_file.relative_to(outdir).as_posix()
    if result.pdfs:
        _previews(record, folder, docx, by_stem, job)
    job.move("zip", 0, 1)
    outputs.zip_folder(outdir, folder / "van-ban.zip")
    job.move("zip", 1, 1)
    history.save(record)
    job.build_id = build_id


def _previews(record: BuildRecord, folder: Path, docx: list[Path], by_stem: dict, job: Job) -> None:
    if outputs.pdftoppm() is None:
        record.notes.append('Chưa có ảnh xem trước: máy chưa cài poppler-utils (pdftoppm). Trên Debian/Ubuntu: '
                            '"sudo apt-get install poppler-utils".')
        return
    for number, f in enumerate(docx, start=1):
        pdf = by_stem.get(f.stem)
        if pdf is not None:
            rel = f"xem-truoc/{number:03d}.png"
            if outputs.preview_png(pdf, folder / rel) is not None:
                record.previews[f.relative_to(folder / "van-ban").as_posix()] = rel
        job.move("preview", number, len(docx), f.name)


def workers_from_env() -> int:
    try:
        return max(1, int(os.environ.get("DOCGEN_WEB_WORKERS", "2")))
    except ValueError:
        return 2
