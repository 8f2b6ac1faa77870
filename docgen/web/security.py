"""Request guards, as one ASGI middleware: upload size limit (413), the Host header (a page on another
site cannot reach the app through DNS rebinding), the access token required when the app listens beyond
this machine, the Origin of every POST, and the CSRF cookie the page forms echo back."""
from __future__ import annotations

import ipaddress
import secrets
from http.cookies import SimpleCookie
from typing import Awaitable, Callable
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

CSRF_COOKIE = "docgen_csrf"
TOKEN_COOKIE = "docgen_token"
TOKEN_HEADER = "x-docgen-token"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
DRAIN_LIMIT = 256 * 1024 * 1024      # an oversized body up to this is read and dropped, so the client sees the 413

ErrorPage = Callable[[Request, int, str], Response]


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_only(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _cookies(scope) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is ignored, like a browser would
                pass
    return {k: m.value for k, m in jar.items()}


def _header(scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


class Guard:
    def __init__(self, app, *, max_upload: int, token: str | None, loopback: bool, error_page: ErrorPage) -> None:
        self.app, self.max_upload, self.token, self.loopback = app, max_upload, token, loopback
        self.error_page = error_page

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = await self._refusal(scope, request, receive)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        cookies = _cookies(scope)
        csrf = cookies.get(CSRF_COOKIE) or ""
        fresh = not (len(csrf) >= 20 and csrf.isascii())
        scope["docgen.csrf"] = secrets.token_urlsafe(24) if fresh else csrf
        await self.app(scope, self._limited(receive), self._with_cookie(send, scope["docgen.csrf"] if fresh else None))

    async def _refusal(self, scope, request: Request, receive) -> Response | None:
        host = _host_only(_header(scope, b"host") or "")
        if self.loopback and not is_loopback(host):
            return self.error_page(request, 400, "Địa chỉ truy cập không hợp lệ: ứng dụng chỉ mở trên máy này "
                                                 "(http://127.0.0.1 hoặc http://localhost).")
        if self.token is not None:
            refusal = self._token_refusal(scope, request)
            if refusal is not None:
                return refusal
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = _header(scope, b"origin")
            if origin and origin != "null" and urlsplit(origin).netloc.lower() != (_header(scope, b"host") or "").lower():
                return self.error_page(request, 403, "Yêu cầu đến từ một trang web khác nên bị từ chối.")
            length = _header(scope, b"content-length")
            if length and length.isdigit() and int(length) > self.max_upload:
                await _drain(receive, int(length))
                return self.error_page(request, 413, self.too_large_message())
        return None

    def _token_refusal(self, scope, request: Request) -> Response | None:
        given = request.query_params.get("token")
        if given is not None and secrets.compare_digest(given, self.token):
            if scope["method"] == "GET" and not request.url.path.startswith("/api/"):
                rest = {k: v for k, v in parse_qs(request.url.query).items() if k != "token"}
                target = request.url.path + (f"?{urlencode(rest, doseq=True)}" if rest else "")
                response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return response
            return None
        for candidate in (_cookies(scope).get(TOKEN_COOKIE), _header(scope, TOKEN_HEADER.encode())):
            if candidate and secrets.compare_digest(candidate, self.token):
                return None
        return self.error_page(request, 403, "Cần mã truy cập: mở đúng địa chỉ (có ?token=…) mà cửa sổ chạy "
                                             "docgen serve đã in ra.")

    def too_large_message(self) -> str:
        return (f"Tệp tải lên quá lớn (tối đa {self.max_upload // (1024 * 1024)} MB). Bảng tính hồ sơ thi đua "
                "thường chỉ vài trăm KB: hãy xóa ảnh, sheet hoặc dòng thừa rồi lưu lại.")

    def _limited(self, receive):
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_upload:
                    raise HTTPException(413, self.too_large_message())
            return message

        return limited

    @staticmethod
    def _with_cookie(send, csrf: str | None):
        if csrf is None:
            return send

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", f"{CSRF_COOKIE}={csrf}; HttpOnly; Path=/; SameSite=Strict".encode()))
                message = {**message, "headers": headers}
            await send(message)

        return sending


async def _drain(receive, length: int) -> None:
    if length > DRAIN_LIMIT:
        return
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


def csrf_ok(request: Request, form) -> bool:
    """A page form's hidden ``csrf`` field must equal the cookie set for this browser."""
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    field = form.get("csrf") if form is not None else None
    return bool(cookie) and isinstance(field, str) and secrets.compare_digest(field, cookie)


Handler = Callable[[Request], Awaitable[Response]]
