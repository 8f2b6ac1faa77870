"""``docgen serve``: bind, say where, open the browser, run until Ctrl+C, clean up."""
from __future__ import annotations

import errno
import logging
import secrets
import socket
import threading
import webbrowser
from pathlib import Path
from typing import Callable

from ..errors import DocgenError
from .common import WebConfig
from .jobs import workers_from_env

DEFAULT_PORT = 8000
SEARCH_PORTS = 10          # with the default port, the next free one of 8000…8009 is taken


class ServeError(DocgenError):
    exit_code = 1


def _bind(host: str, port: int, search: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last: OSError | None = None
    for candidate in range(port, port + (SEARCH_PORTS if search else 1)):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
        except OSError as exc:
            sock.close()
            last = exc
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                break
            continue
        sock.listen(128)
        sock.set_inheritable(True)
        return sock
    if last is not None and last.errno == errno.EADDRINUSE:
        raise ServeError(f"Cổng {port} đang được chương trình khác dùng (có thể docgen serve đã chạy rồi). "
                         f"Chạy lại với --port khác, ví dụ --port {port + SEARCH_PORTS}.")
    raise ServeError(f"Không mở được địa chỉ {host}:{port} ({last}).")


def url_for(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(host: str, port: int | None, *, open_browser: bool, data_dir: Path, max_upload_mb: int,
          echo: Callable[[str], None]) -> None:
    import uvicorn

    from .app import create_app
    from .security import is_loopback

    loopback = is_loopback(host)
    token = None if loopback else secrets.token_urlsafe(18)
    sock = _bind(host, DEFAULT_PORT if port is None else port, search=port is None)
    actual = sock.getsockname()[1]
    config = WebConfig(data_dir=data_dir, max_upload=max_upload_mb * 1024 * 1024, token=token, loopback=loopback,
                       workers=workers_from_env())
    app = create_app(config)
    url = url_for(host, actual, token)
    echo(f"docgen đang chạy tại {url}")
    if not loopback:
        echo(f"CẢNH BÁO: ứng dụng mở cho mọi máy truy cập được {host}. Chỉ ai có địa chỉ kèm mã truy cập "
             "(?token=…) ở trên mới dùng được; đừng gửi địa chỉ này qua kênh công khai.")
    echo(f"Lịch sử và mẫu riêng lưu tại: {data_dir}")
    echo("Đóng cửa sổ này hoặc nhấn Ctrl+C để dừng.")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                           timeout_graceful_shutdown=5))
    logging.getLogger("docgen.web").setLevel(logging.INFO)
    if open_browser:
        threading.Timer(0.8, _open, args=(url,)).start()
    try:
        server.run(sockets=[sock])      # Ctrl+C ends as KeyboardInterrupt, which the CLI reports in Vietnamese
    finally:
        sock.close()


def _open(url: str) -> None:
    try:
        webbrowser.open(url)
    except Exception:  # no browser on this machine: the printed address is enough
        pass
