"""The clerk's path: Bắt đầu (blank workbook, upload) → Kiểm tra (the report) → Văn bản (build, preview,
download)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import anyio
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..build import demo_workbook as demo_path
from .. import init_workbook
from ..pdf import find_soffice
from . import kinds
from .common import UPLOAD_COOKIE, attachment, page, read_form, save_upload, state, uploaded_file
from .jobs import BuildRequest, finish_history_build
from .outputs import pdftoppm
from .security import csrf_ok
from .views import SEVERITY_LABELS, validate_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _forbidden_form() -> HTTPException:
    return HTTPException(403, "Biểu mẫu đã hết hạn hoặc không phải gửi từ trang này. Hãy tải lại trang rồi thử lại.")


async def start(request: Request) -> Response:
    return page(request, "bat_dau.html", active="bat-dau")


async def blank_workbook(request: Request) -> Response:
    folder = Path(tempfile.mkdtemp(prefix="trong-", dir=state(request).config.work_root))
    path = await anyio.to_thread.run_sync(init_workbook, folder / "ho-so")
    return FileResponse(path, media_type=XLSX, headers=attachment("ho-so.xlsx"),
                        background=BackgroundTask(shutil.rmtree, folder, True))


async def demo_workbook(request: Request) -> Response:
    return FileResponse(demo_path(), media_type=XLSX, headers=attachment("ho-so-mau-vksnd-cao-bang.xlsx"))


async def upload(request: Request) -> Response:
    form = await read_form(request)
    if not csrf_ok(request, form):
        raise _forbidden_form()
    st = state(request)
    if form.get("mau") == "1":
        item, shown = None, "ho-so-mau-vksnd-cao-bang.xlsx"
    else:
        item, shown = uploaded_file(form, "file", ".xlsx")
    previous = request.cookies.get(UPLOAD_COOKIE)
    new = st.uploads.create(shown)
    try:
        if item is None:
            shutil.copyfile(demo_path(), new.workbook)
        else:
            await save_upload(item, new.workbook, st.config.max_upload)
        new.checked = await anyio.to_thread.run_sync(validate_upload, new.workbook, shown)
    except BaseException:
        st.uploads.discard(new.id)
        raise
    finally:
        await form.close()
    if previous and previous != new.id:
        st.uploads.discard(previous)
    response = RedirectResponse("/kiem-tra", status_code=303)
    response.set_cookie(UPLOAD_COOKIE, new.id, httponly=True, samesite="strict")
    return response


def _filtered(problems: list[dict], level: str, sheet: str, text: str) -> list[dict]:
    from ..text import fold

    needle = fold(text) if text else ""
    return [p for p in problems
            if (not level or p["severity"] == level) and (not sheet or (p["sheet"] or "Chung") == sheet)
            and (not needle or needle in fold(f'{p["message"]} {p["column"] or ""}'))]


async def check(request: Request) -> Response:
    current = state(request).uploads.get(request.cookies.get(UPLOAD_COOKIE))
    if current is None or current.checked is None:
        return page(request, "kiem_tra.html", active="kiem-tra", validation=None)
    validation = current.checked
    q = request.query_params
    level, sheet, text = q.get("muc", ""), q.get("sheet", ""), q.get("tim", "").strip()[:100]
    rows = _filtered(validation.problems, level, sheet, text)
    return page(request, "kiem_tra.html", active="kiem-tra", validation=validation, rows=rows,
                level=level, sheet=sheet, text=text, labels=SEVERITY_LABELS)


async def documents(request: Request) -> Response:
    st = state(request)
    current = st.uploads.get(request.cookies.get(UPLOAD_COOKIE))
    job = st.jobs.get(request.query_params.get("job", ""))
    record = st.history.get(request.query_params.get("ban", ""))
    if record is None and job is not None and job.status == "xong" and job.build_id:
        record = st.history.get(job.build_id)
    return page(request, "van_ban.html", active="van-ban", validation=current.checked if current else None,
                kinds=kinds.kinds(), job=job, record=record, can_pdf=find_soffice() is not None,
                can_preview=pdftoppm() is not None, custom=sorted(st.custom.present()))


async def start_build(request: Request) -> Response:
    form = await read_form(request)
    if not csrf_ok(request, form):
        raise _forbidden_form()
    st = state(request)
    current = st.uploads.get(request.cookies.get(UPLOAD_COOKIE))
    if current is None or current.checked is None:
        raise HTTPException(400, "Chưa có bảng tính: hãy tải bảng tính lên ở trang Bắt đầu.")
    known = {key for key, _ in kinds.kinds()}
    chosen = {v for v in form.getlist("van_ban") if v in known}
    if not chosen:
        raise HTTPException(400, "Chưa chọn văn bản nào để tạo.")
    build_id, folder = st.history.new_folder()
    request_ = BuildRequest(current.workbook, current.name, folder / "van-ban", only=chosen,
                            pdf=form.get("pdf") == "1" and find_soffice() is not None,
                            templates_dir=st.custom.templates_dir())
    job = st.jobs.submit(request_, after=lambda job, result: finish_history_build(st.history, build_id, folder,
                                                                                   job, result),
                         on_error=lambda job: st.history.discard_folder(build_id))
    return RedirectResponse(f"/van-ban?job={job.id}", status_code=303)
