"""What every page and API route shares: the app's state, page rendering, reading uploads."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import __version__
from .jobs import Jobs
from .store import CustomTemplates, History, Upload, Uploads, display_name

HERE = Path(__file__).resolve().parent
UPLOAD_COOKIE = "docgen_hoso"
CHUNK = 1024 * 1024

_ENV = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

SUFFIX_RULES = {
    ".xlsx": "Chỉ nhận bảng tính Excel (.xlsx). Tệp .xls cũ: mở bằng Excel hoặc LibreOffice, chọn \"Lưu thành\" "
             "Sổ làm việc Excel (.xlsx) rồi tải lên lại.",
    ".docx": "Chỉ nhận mẫu văn bản Word (.docx). Tệp .doc cũ: mở bằng Word, chọn \"Lưu thành\" Tài liệu Word "
             "(.docx) rồi tải lên lại.",
}


@dataclass
class WebConfig:
    data_dir: Path
    max_upload: int = 50 * 1024 * 1024
    token: str | None = None                 # required on every request when not None
    loopback: bool = True
    workers: int = 2
    work_root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="docgen-web-")))


@dataclass
class State:
    config: WebConfig
    uploads: Uploads
    history: History
    custom: CustomTemplates
    jobs: Jobs
    reports: dict = field(default_factory=dict)       # template check reports shown on the Mẫu page

    @classmethod
    def create(cls, config: WebConfig) -> "State":
        return cls(config, Uploads(config.work_root / "uploads"), History(config.data_dir / "lich-su"),
                   CustomTemplates(config.data_dir / "mau"), Jobs(config.workers))


def state(request: Request) -> State:
    return request.app.state.docgen


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    context.setdefault("upload", current_upload(request))
    context.setdefault("active", "")
    context.setdefault("max_mb", state(request).config.max_upload // (1024 * 1024))
    html = _ENV.get_template(template).render(request=request, csrf=request.scope.get("docgen.csrf", ""),
                                              version=__version__, **context)
    return HTMLResponse(html, status_code=status, headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
             "Referrer-Policy": "same-origin",
             "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"}


def current_upload(request: Request) -> Upload | None:
    return state(request).uploads.get(request.cookies.get(UPLOAD_COOKIE))


def attachment(name: str, inline: bool = False) -> dict[str, str]:
    """Content-Disposition for a file name made by the server (ASCII fallback plus UTF-8)."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    kind = "inline" if inline else "attachment"
    return {"Content-Disposition": f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


async def read_form(request: Request):
    """The multipart/urlencoded form; a body the parser refuses is a 400 in Vietnamese."""
    try:
        return await request.form(max_files=2, max_fields=40, max_part_size=64 * 1024)
    except HTTPException:
        raise
    except Exception:
        raise HTTPException(400, "Không đọc được dữ liệu gửi lên (biểu mẫu không hợp lệ).") from None


def uploaded_file(form, field_name: str, suffix: str) -> tuple[UploadFile, str]:
    """The uploaded file of ``field_name``, and its name for display; 400/415 in Vietnamese otherwise."""
    item = form.get(field_name)
    if not isinstance(item, UploadFile) or not item.filename:
        what = "bảng tính (.xlsx)" if suffix == ".xlsx" else "mẫu văn bản (.docx)"
        raise HTTPException(400, f"Chưa chọn tệp {what} để tải lên.")
    shown = display_name(item.filename, f"tep{suffix}")
    if Path(shown).suffix.lower() != suffix:
        raise HTTPException(415, f'Tệp "{shown}" không được nhận. {SUFFIX_RULES[suffix]}')
    return item, shown


async def save_upload(item: UploadFile, target: Path, limit: int) -> None:
    """Copy the upload to ``target`` (a name chosen by the server), refusing more than ``limit`` bytes."""
    written = 0
    with target.open("wb") as fh:
        while chunk := await item.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise HTTPException(413, f"Tệp tải lên quá lớn (tối đa {limit // (1024 * 1024)} MB).")
            fh.write(chunk)
