"""Mẫu (built-in and custom templates, with the report on an uploaded one) and Lịch sử (past builds)."""
from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..build import builtin_templates_dir
from .common import UPLOAD_COOKIE, attachment, page, read_form, save_upload, state, uploaded_file
from .kinds import TEMPLATE_KINDS, TEMPLATE_NAMES, kind_name
from .outputs import download_name
from .pages import _forbidden_form
from .security import csrf_ok
from .store import new_id
from .template_check import check_template

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA = {".docx": DOCX, ".pdf": "application/pdf", ".png": "image/png", ".txt": "text/plain; charset=utf-8",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".zip": "application/zip"}


async def templates_page(request: Request) -> Response:
    st = state(request)
    report = st.reports.get(request.query_params.get("bao-cao", ""))
    custom = {name: datetime.fromtimestamp(t).strftime("%H:%M ngày %d/%m/%Y") for name, t in st.custom.present().items()}
    rows = [{"name": name, "title": TEMPLATE_NAMES[name], "kind": kind_name(kind), "custom": custom.get(name)}
            for name, kind in TEMPLATE_KINDS.items()]
    return page(request, "mau.html", active="mau", rows=rows, report=report,
                report_title=TEMPLATE_NAMES.get(report.name, "") if report else "")


async def template_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in TEMPLATE_KINDS:
        raise HTTPException(404, "Không có mẫu văn bản này.")
    if request.path_params["where"] == "rieng":
        path = state(request).custom.path(name)
        if path is None or not path.is_file():
            raise HTTPException(404, "Chưa có mẫu riêng cho văn bản này.")
        return FileResponse(path, media_type=DOCX, headers=attachment(f"rieng-{name}"))
    return FileResponse(builtin_templates_dir() / name, media_type=DOCX, headers=attachment(name))


async def upload_template(request: Request) -> Response:
    form = await read_form(request)
    if not csrf_ok(request, form):
        raise _forbidden_form()
    st = state(request)
    name = form.get("loai")
    if name not in TEMPLATE_KINDS:
        raise HTTPException(400, "Hãy chọn mẫu này dùng cho văn bản nào.")
    item, shown = uploaded_file(form, "file", ".docx")
    folder = Path(tempfile.mkdtemp(prefix="mau-", dir=st.config.work_root))
    try:
        path = folder / "mau.docx"
        await save_upload(item, path, st.config.max_upload)
        current = st.uploads.get(request.cookies.get(UPLOAD_COOKIE))
        workbook, label = None, ""
        if current is not None and current.checked is not None and current.checked.ok:
            workbook, label = current.workbook, f'bảng tính đang dùng "{current.name}"'
        report = await anyio.to_thread.run_sync(check_template, path, name, shown, workbook, label)
        if report.usable:
            st.custom.install(name, path)
    finally:
        await form.close()
        shutil.rmtree(folder, ignore_errors=True)
    report_id = new_id()
    st.reports[report_id] = report
    while len(st.reports) > 50:
        st.reports.pop(next(iter(st.reports)))
    return RedirectResponse(f"/mau?bao-cao={report_id}#bao-cao", status_code=303)


async def remove_template(request: Request) -> Response:
    form = await read_form(request)
    if not csrf_ok(request, form):
        raise _forbidden_form()
    state(request).custom.remove(str(form.get("loai", "")))
    return RedirectResponse("/mau", status_code=303)


async def history_page(request: Request) -> Response:
    return page(request, "lich_su.html", active="lich-su", records=state(request).history.all())


async def history_build(request: Request) -> Response:
    record = state(request).history.get(request.path_params["build_id"])
    if record is None:
        raise HTTPException(404, "Không tìm thấy lần tạo văn bản này (có thể đã bị xóa).")
    return page(request, "lich_su_ban.html", active="lich-su", record=record)


async def history_zip(request: Request) -> Response:
    st = state(request)
    record = st.history.get(request.path_params["build_id"])
    folder = st.history.folder(request.path_params["build_id"])
    if record is None or folder is None or not (folder / "van-ban.zip").is_file():
        raise HTTPException(404, "Không tìm thấy tệp ZIP của lần tạo văn bản này.")
    return FileResponse(folder / "van-ban.zip", media_type=MEDIA[".zip"],
                        headers=attachment(download_name(record.workbook_name, record.created)))


async def history_file(request: Request) -> Response:
    rel = request.path_params["rel"]
    path = state(request).history.file(request.path_params["build_id"], rel)
    if path is None:
        raise HTTPException(404, "Không tìm thấy tệp này.")
    inline = request.query_params.get("xem") == "1" or path.suffix == ".png"
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"),
                        headers=attachment(Path(rel).name, inline=inline))


async def delete_build(request: Request) -> Response:
    form = await read_form(request)
    if not csrf_ok(request, form):
        raise _forbidden_form()
    state(request).history.delete(request.path_params["build_id"])
    return RedirectResponse("/lich-su", status_code=303)
