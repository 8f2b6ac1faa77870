"""The web application: routes, error pages, start-up and clean-up."""
from __future__ import annotations

import contextlib
import logging
import os
import shutil

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import api, library, pages
from .common import HERE, State, WebConfig, page
from .security import Guard

log = logging.getLogger("docgen.web")

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Không được phép thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc tệp này.",
    405: "Địa chỉ này không nhận thao tác đó.",
    413: "Tệp tải lên quá lớn.",
    415: "Loại tệp này không được nhận.",
    422: "Dữ liệu gửi lên chưa dùng được.",
    500: "Lỗi không mong đợi ở máy chủ docgen.",
    503: "Chức năng này cần một chương trình chưa được cài trên máy.",
}
TITLES = {400: "Yêu cầu không hợp lệ", 403: "Không được phép", 404: "Không tìm thấy", 405: "Thao tác không hợp lệ",
          413: "Tệp quá lớn", 415: "Loại tệp không được nhận", 422: "Dữ liệu chưa dùng được",
          500: "Đã có lỗi", 503: "Thiếu chương trình"}


def error_response(request: Request, status: int, message: str | None = None) -> Response:
    message = message or MESSAGES.get(status, "Đã có lỗi.")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"ok": False, "error": message, "problems": []}, status_code=status)
    try:
        return page(request, "loi.html", status=status, upload=None, title=TITLES.get(status, "Đã có lỗi"),
                    message=message, status_code=status)
    except Exception:  # the error page itself must never fail
        return Response(message, status_code=status, media_type="text/plain; charset=utf-8")


async def _http_error(request: Request, exc: HTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None  # ours, in Vietnamese
    return error_response(request, exc.status_code, detail)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path)
    return error_response(request, 500, "Lỗi không mong đợi ở máy chủ docgen; không có tệp dở dang nào được lưu. "
                                        "Hãy thử lại; nếu vẫn lỗi, báo cho nhóm phát triển.")


ROUTES = [
    Route("/", pages.start),
    Route("/bang-tinh-trong", pages.blank_workbook),
    Route("/bang-tinh-mau", pages.demo_workbook),
    Route("/tai-len", pages.upload, methods=["POST"]),
    Route("/kiem-tra", pages.check),
    Route("/van-ban", pages.documents),
    Route("/van-ban/tao", pages.start_build, methods=["POST"]),
    Route("/mau", library.templates_page),
    Route("/mau/tai-len", library.upload_template, methods=["POST"]),
    Route("/mau/xoa", library.remove_template, methods=["POST"]),
    Route("/mau/{where:str}/{name:str}", library.template_file),
    Route("/lich-su", library.history_page),
    Route("/lich-su/{build_id:str}", library.history_build),
    Route("/lich-su/{build_id:str}/zip", library.history_zip),
    Route("/lich-su/{build_id:str}/xoa", library.delete_build, methods=["POST"]),
    Route("/lich-su/{build_id:str}/tep/{rel:path}", library.history_file),
    Route("/api/validate", api.validate, methods=["POST"]),
    Route("/api/build", api.build, methods=["POST"]),
    Route("/api/jobs/{job_id:str}", api.job_status),
    Route("/api/jobs/{job_id:str}/events", api.job_events),
    Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
]


def create_app(config: WebConfig) -> Starlette:
    st = State.create(config)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        st.history.sweep_unfinished()
        try:
            yield
        finally:
            st.jobs.shutdown()
            shutil.rmtree(config.work_root, ignore_errors=True)

    def guard_error(request: Request, status: int, message: str) -> Response:
        return error_response(request, status, message)

    app = Starlette(routes=ROUTES, lifespan=lifespan, debug=bool(os.environ.get("DOCGEN_DEBUG")),
                    exception_handlers={HTTPException: _http_error, Exception: _server_error},
                    middleware=[Middleware(Guard, max_upload=config.max_upload, token=config.token,
                                           loopback=config.loopback, error_page=guard_error)])
    app.state.docgen = st
    return app
