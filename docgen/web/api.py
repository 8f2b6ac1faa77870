"""The JSON API the pages use and scripts can call (documented in the README):

- ``POST /api/validate`` (multipart ``file``) → ``{"ok", "problems": [{"severity", "sheet", "row", "column",
  "message"}]}``
- ``POST /api/build`` (``file``, optional ``only`` = "ke-hoach,to-trinh", optional ``pdf`` = "1") → the ZIP
  of the documents; 422 with the problem list when the workbook has blocking errors
- ``GET /api/jobs/{id}`` (a build's progress) and ``GET /api/jobs/{id}/events`` (the same, as server-sent events)
"""
from __future__ import annotations

import asyncio
import json
import shutil

import anyio
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse

from ..documents import REGISTRY
from ..pdf import INSTALL_HINT, find_soffice
from .common import read_form, save_upload, state, uploaded_file
from .jobs import BuildRequest
from .outputs import download_name, zip_folder
from .store import WORKBOOK_NAME, new_id
from .views import unreadable_problem, validate_upload


async def _receive_workbook(request: Request):
    """(form, folder, workbook path, shown name) of an API upload, in a fresh folder of its own."""
    form = await read_form(request)
    try:
        item, shown = uploaded_file(form, "file", ".xlsx")
        folder = state(request).config.work_root / "api" / new_id()
        folder.mkdir(parents=True)
        try:
            await save_upload(item, folder / WORKBOOK_NAME, state(request).config.max_upload)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    finally:
        await form.close()
    return form, folder, folder / WORKBOOK_NAME, shown


async def validate(request: Request) -> Response:
    form, folder, workbook, shown = await _receive_workbook(request)
    try:
        result = await anyio.to_thread.run_sync(validate_upload, workbook, shown)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    body = {"ok": result.ok, "problems": result.problems, "documents": result.documents}
    return JSONResponse(body, status_code=200 if result.readable else 422)


def _only(form) -> set[str] | None:
    values = [v for v in form.getlist("only") if isinstance(v, str) and v.strip()]
    try:
        return REGISTRY.parse_only(",".join(values)) if values else None
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


async def build(request: Request) -> Response:
    form, folder, workbook, shown = await _receive_workbook(request)
    try:
        only = _only(form)
        pdf = str(form.get("pdf", "")).lower() in {"1", "true", "co", "có"}
        if pdf and find_soffice() is None:
            raise HTTPException(503, INSTALL_HINT)
        st = state(request)
        job = st.jobs.submit(BuildRequest(workbook, shown, folder / "van-ban", only=only, pdf=pdf,
                                          templates_dir=st.custom.templates_dir()))
        while not job.finished.is_set():
            await asyncio.sleep(0.05)
        if job.status != "xong":
            shutil.rmtree(folder, ignore_errors=True)
            problems = job.problems or [unreadable_problem(job.message)]
            return JSONResponse({"ok": False, "error": job.message, "problems": problems}, status_code=422)
        target = await anyio.to_thread.run_sync(zip_folder, folder / "van-ban", folder / "van-ban.zip")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(target, media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{download_name(shown, _now())}"'},
                        background=BackgroundTask(shutil.rmtree, folder, True))


def _now() -> str:
    from datetime import datetime

    return datetime.now().isoformat(timespec="seconds")


async def job_status(request: Request) -> Response:
    job = state(request).jobs.get(request.path_params["job_id"])
    if job is None:
        raise HTTPException(404, "Không tìm thấy lần tạo văn bản này.")
    return JSONResponse(job.snapshot())


async def job_events(request: Request) -> Response:
    job = state(request).jobs.get(request.path_params["job_id"])
    if job is None:
        raise HTTPException(404, "Không tìm thấy lần tạo văn bản này.")

    async def stream():
        last = None
        while True:
            finished = job.finished.is_set()
            snapshot = job.snapshot()
            if snapshot != last:
                yield f"data: {json.dumps(snapshot, ensure_ascii=False)}\n\n"
                last = snapshot
            if finished or await request.is_disconnected():
                return
            await asyncio.sleep(0.2)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
