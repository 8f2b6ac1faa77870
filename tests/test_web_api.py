"""The JSON API and the server's safety, through real HTTP (httpx) against a real ``docgen serve``."""
from __future__ import annotations

import io
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from docx import Document

from docgen.build import demo_workbook
from docgen.pdf import find_soffice

from web_helpers import Server, broken_workbook, entity_xlsx, zip_bomb_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("web-api"), "--max-upload-mb", "2")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.base_url, timeout=120) as c:
        yield c


def _upload(path: Path | None = None, data: bytes | None = None, name: str | None = None):
    content = data if data is not None else path.read_bytes()
    return {"file": (name or path.name, content, XLSX)}


def test_validate_demo_lists_located_warnings(client):
    r = client.post("/api/validate", files=_upload(demo_workbook()))
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True
    assert all(set(p) == {"severity", "sheet", "row", "column", "message"} for p in body["problems"])
    discipline = [p for p in body["problems"] if p["column"] == "Kỷ luật"]
    assert discipline == [{"severity": "canh_bao", "sheet": "Cá nhân", "row": 7, "column": "Kỷ luật",
                           "message": discipline[0]["message"]}]
    assert "Ma Văn Khánh" in discipline[0]["message"]


def test_validate_broken_workbook_gives_every_located_error(client, tmp_path):
    r = client.post("/api/validate", files=_upload(broken_workbook(tmp_path)))
    body = r.json()
    assert r.status_code == 200 and body["ok"] is False
    errors = [(p["sheet"], p["row"], p["column"]) for p in body["problems"] if p["severity"] == "loi"]
    assert ("Cá nhân", 3, "Ngày sinh") in errors and ("Cá nhân", 5, "Ngày sinh") in errors
    assert any("31/02/1980" in p["message"] for p in body["problems"])


def test_build_returns_zip_of_checked_documents(client, tmp_path):
    r = client.post("/api/build", files=_upload(demo_workbook()), data={"only": "ke-hoach,to-trinh"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].startswith('attachment; filename="van-ban-')
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path)
    assert names == {"ke-hoach.docx", "to-trinh.docx", "danh-sach.xlsx", "kiem-tra.txt"}
    text = "\n".join(p.text for p in Document(str(tmp_path / "ke-hoach.docx")).paragraphs)
    assert "KẾ HOẠCH" in text and "Cao Bằng" in text
    check = subprocess.run([sys.executable, "-m", "docgen", "check", str(tmp_path / "ke-hoach.docx"),
                            str(tmp_path / "to-trinh.docx")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_build_with_blocking_errors_is_422_with_the_problem_list(client, tmp_path):
    broken = broken_workbook(tmp_path)
    validated = client.post("/api/validate", files=_upload(broken)).json()["problems"]
    r = client.post("/api/build", files=_upload(broken))
    assert r.status_code == 422
    body = r.json()
    assert body["ok"] is False and body["problems"] == validated
    assert body["error"].startswith("Có 2 lỗi")


def test_build_refuses_unknown_document_kind(client):
    r = client.post("/api/build", files=_upload(demo_workbook()), data={"only": "ke-hoach,cong-van"})
    assert r.status_code == 400
    assert "cong-van" in r.json()["error"]


@pytest.mark.parametrize("name, content, status, words", [
    ("ho-so.docx", b"PK\x03\x04", 415, "Chỉ nhận bảng tính Excel (.xlsx)"),
    ("ho-so.txt", b"hello", 415, "Chỉ nhận bảng tính Excel (.xlsx)"),
    ("ho-so.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, 415, "Lưu thành"),
    ("gia.xlsx", b"day khong phai bang tinh", 422, 'Tệp "gia.xlsx" không phải tệp Excel (.xlsx) hợp lệ'),
    ("bom.xlsx", None, 422, "bom nén"),
    ("thuc-the.xlsx", None, 422, "DOCTYPE/ENTITY"),
])
def test_non_workbooks_are_refused_like_the_cli(client, name, content, status, words):
    if content is None:
        content = zip_bomb_xlsx() if name == "bom.xlsx" else entity_xlsx()
    for endpoint in ("/api/validate", "/api/build"):
        r = client.post(endpoint, files=_upload(data=content, name=name))
        assert r.status_code == status, (endpoint, r.text)
        body = r.json()
        text = body.get("error") or body["problems"][0]["message"]
        assert words in text and body["ok"] is False


def test_oversized_upload_is_413(client):
    big = b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024)
    r = client.post("/api/validate", files=_upload(data=big, name="lon.xlsx"))
    assert r.status_code == 413
    assert "quá lớn (tối đa 2 MB)" in r.json()["error"]


def test_oversized_upload_without_length_is_413(client):
    def body():
        yield b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lon.xlsx\"\r\n\r\n"
        for _ in range(40):
            yield b"\0" * (100 * 1024)
        yield b"\r\n--x--\r\n"

    r = client.post("/api/validate", content=body(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 413


def test_upload_folders_are_removed_after_each_request(client, server):
    client.post("/api/validate", files=_upload(demo_workbook()))
    client.post("/api/build", files=_upload(demo_workbook()), data={"only": "ke-hoach"})
    client.post("/api/validate", files=_upload(data=b"x", name="gia.xlsx"))
    (root,) = server.work_roots()
    for _ in range(50):
        left = list((root / "api").iterdir()) if (root / "api").exists() else []
        if not left:
            break
        time.sleep(0.1)
    assert left == []


def test_cross_site_post_and_foreign_host_are_refused(client):
    r = client.post("/api/validate", files=_upload(demo_workbook()), headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.get("/", headers={"Host": "evil.example:80"})
    assert r.status_code == 400 and "chỉ mở trên máy này" in r.text


def test_page_forms_need_the_csrf_token(client):
    r = client.post("/tai-len", files=_upload(demo_workbook()), data={"csrf": "sai"})
    assert r.status_code == 403
    assert 'lang="vi"' in r.text and "Biểu mẫu đã hết hạn" in r.text
    page = client.get("/")
    token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    r = client.post("/tai-len", files=_upload(demo_workbook()), data={"csrf": token})
    assert r.status_code == 303 and r.headers["location"] == "/kiem-tra"


def test_errors_are_vietnamese_pages_never_tracebacks(client):
    r = client.get("/khong-co-trang-nay")
    assert r.status_code == 404 and "Không tìm thấy" in r.text and "Not Found" not in r.text
    r = client.get("/api/validate")
    assert r.status_code == 405 and r.json()["error"] == "Địa chỉ này không nhận thao tác đó."
    r = client.post("/api/validate", content=b"garbage", headers={"content-type": "multipart/form-data; boundary=q"})
    assert r.status_code == 400 and "Traceback" not in r.text


@pytest.mark.parametrize("path", ["/lich-su/20260101-000000-aaaaaaaa/tep/../../../../etc/passwd",
                                  "/lich-su/..%2F..%2Fetc/tep/passwd", "/mau/co-san/..%2F..%2Fpyproject.toml",
                                  "/mau/rieng/ke-hoach.docx", "/static/..%2F..%2Fbuild.py"])
def test_no_path_from_the_client_reaches_the_disk(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "[project]" not in r.text and "root:" not in r.text


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_running_build_does_not_block_validation(client):
    finished = {}

    def slow_build():
        r = client.post("/api/build", files=_upload(demo_workbook()), data={"only": "ke-hoach", "pdf": "1"})
        finished["build"] = time.monotonic()
        finished["zip"] = r.content

    thread = threading.Thread(target=slow_build)
    thread.start()
    time.sleep(0.5)
    r = client.post("/api/validate", files=_upload(demo_workbook()))
    finished["validate"] = time.monotonic()
    thread.join(timeout=180)
    assert r.status_code == 200
    assert finished["validate"] < finished["build"]
    with zipfile.ZipFile(io.BytesIO(finished["zip"])) as zf:
        assert zf.read("pdf/ke-hoach.pdf").startswith(b"%PDF")


def test_token_required_beyond_loopback(tmp_path):
    srv = Server(tmp_path, "--host", "0.0.0.0")
    try:
        assert "CẢNH BÁO" in "".join(srv.banner)
        assert "?token=" in srv.url
        token = srv.url.split("token=", 1)[1]
        base = srv.base_url.replace("0.0.0.0", "127.0.0.1")
        with httpx.Client(base_url=base, timeout=30) as c:
            r = c.get("/")
            assert r.status_code == 403 and "Cần mã truy cập" in r.text
            r = c.get(f"/?token={token}")
            assert r.status_code == 303 and r.headers["location"] == "/"
            assert c.get("/").status_code == 200               # the cookie it set
        r = httpx.post(base + "/api/validate", files=_upload(demo_workbook()), headers={"X-Docgen-Token": token})
        assert r.status_code == 200 and r.json()["ok"] is True
        assert httpx.post(base + "/api/validate", files=_upload(demo_workbook())).status_code == 403
    finally:
        srv.stop()


def test_server_stops_cleanly_and_removes_its_temporary_folder(tmp_path):
    srv = Server(tmp_path)
    with httpx.Client(base_url=srv.base_url) as c:
        page = c.get("/")
        token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        assert c.post("/tai-len", files=_upload(demo_workbook()), data={"csrf": token}).status_code == 303
    assert srv.work_roots()
    out = srv.stop(signal.SIGINT)                   # Ctrl+C in the window
    assert srv.work_roots() == []
    assert "Traceback" not in out and "Đã dừng theo yêu cầu" in out


def test_busy_port_is_a_vietnamese_message(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "docgen", "serve", "--port", str(port), "--no-browser",
                            "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert f"Cổng {port} đang được chương trình khác dùng" in r.stderr and "Traceback" not in r.stderr


def test_shortcut_on_the_desktop(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_DESKTOP_DIR": str(tmp_path / "Man hinh"), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "docgen", "serve", "--shortcut"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    shortcut = tmp_path / "Man hinh" / "docgen.desktop"
    text = shortcut.read_text(encoding="utf-8")
    assert "Type=Application" in text and f"Exec={sys.executable} -m docgen serve" in text
    assert "Terminal=true" in text and str(shortcut) in r.stdout
    assert shortcut.stat().st_mode & 0o111


def test_page_build_reports_progress_as_server_sent_events(client):
    import json

    token = client.get("/").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert client.post("/tai-len", files=_upload(demo_workbook()), data={"csrf": token}).status_code == 303
    r = client.post("/van-ban/tao", data={"csrf": token, "van_ban": ["ke-hoach", "bao-cao"]})
    assert r.status_code == 303 and r.headers["location"].startswith("/van-ban?job=")
    job_id = r.headers["location"].split("=", 1)[1]
    events = []
    with client.stream("GET", f"/api/jobs/{job_id}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert events[-1]["status"] == "xong" and events[-1]["percent"] == 100 and events[-1]["build_id"]
    percents = [e["percent"] for e in events]
    assert percents == sorted(percents)
    assert {e["stage_label"] for e in events} <= {"Đang chờ đến lượt", "Đang kiểm tra bảng tính", "Đang soạn văn bản",
                                                   "Đang ghi tệp", "Đang đóng gói tệp ZIP", "Đã xong"}
    page = client.get(f"/van-ban?job={job_id}").text
    assert "Đã tạo 12 văn bản" in page and "Tải tất cả (ZIP)" in page
    assert client.get(f"/lich-su/{events[-1]['build_id']}/zip").headers["content-type"] == "application/zip"
