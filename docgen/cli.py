"""The ``docgen`` command: a thin layer over the Python API (:mod:`docgen`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import CONTEXT, _Group, friendly


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from . import __version__          # importlib.metadata only when asked

        click.echo(f"docgen {__version__}")
        ctx.exit()


@click.group(cls=_Group, context_settings=CONTEXT, help=(
    "docgen – soạn hồ sơ thi đua - khen thưởng (Kế hoạch, Tờ trình, Biên bản họp Hội đồng, Báo cáo "
    "thành tích, Quyết định) đúng thể thức Nghị định 30/2020/NĐ-CP từ một bảng tính Excel.\n\n"
    "Các bước: docgen init THƯ_MỤC → điền ho-so.xlsx → docgen validate ho-so.xlsx → docgen build ho-so.xlsx"))
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="In phiên bản rồi thoát.")
def cli() -> None:
    pass


@cli.command(help="Tạo THƯ_MỤC mới chứa bảng tính trống ho-so.xlsx (đủ các sheet, tiêu đề, danh sách chọn "
                  "và sheet Hướng dẫn).")
@click.argument("directory", metavar="THƯ_MỤC", type=click.Path(path_type=Path))
@friendly
def init(directory: Path) -> None:
    from . import init_workbook

    path = init_workbook(directory)
    click.echo(f"Đã tạo {path}.\nĐiền thông tin vào các sheet (xem sheet \"Hướng dẫn\"), rồi chạy:\n"
               f"  docgen validate {path}\n  docgen build {path}")


@cli.command(help="Đọc và kiểm tra bảng tính, liệt kê mọi lỗi kèm sheet, dòng, cột. Mã thoát: 0 – không có lỗi "
                  "chặn (có thể có cảnh báo), 1 – có lỗi, 2 – không đọc được tệp.")
@click.argument("workbook", metavar="BẢNG_TÍNH", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.option("--only", metavar="DS", help="Chỉ kiểm tra cho các văn bản này (ke-hoach,to-trinh,bien-ban,bao-cao,"
                                            "quyet-dinh).")
@friendly
def validate(workbook: Path, as_json: bool, only: str | None) -> None:
    from .build import validate as do_validate
    from .documents import REGISTRY

    documents = _parse_only(REGISTRY.parse_only, only)
    campaign, report, evaluation, docs = do_validate(workbook, documents=documents)
    if as_json:
        data = report.to_json()
        data["tep"] = str(workbook)
        data["van_ban"] = sorted(docs)
        data["doi_tuong"] = [{
            "ten": s.candidate.display_name, "hinh_thuc": s.candidate.award, "du_dieu_kien": s.eligible,
            "de_nghi": s.proposed, "ly_do": s.reasons,
            "ty_le_dong_y": None if s.vote is None else round(s.vote.percent, 2),
        } for s in evaluation.statuses]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(report.to_text(f"KẾT QUẢ KIỂM TRA: {workbook.name}").rstrip())
        proposed = len(evaluation.proposed)
        if evaluation.statuses:
            click.echo(f"\nĐề nghị khen thưởng: {proposed}/{len(evaluation.statuses)} đối tượng.")
    sys.exit(0 if report.ok else 1)


def _parse_only(parse, value):
    try:
        return parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--only") from None


@cli.command(help="Kiểm tra rồi tạo toàn bộ văn bản vào THƯ_MỤC_RA (mặc định: <tên bảng tính>-van-ban bên cạnh "
                  "bảng tính). Không ghi gì khi còn lỗi.")
@click.argument("workbook", metavar="BẢNG_TÍNH", type=click.Path(path_type=Path))
@click.option("-o", "--output", "outdir", metavar="THƯ_MỤC_RA", type=click.Path(path_type=Path),
              help="Thư mục ghi văn bản.")
@click.option("--only", metavar="DS", help="Chỉ tạo các văn bản này, ngăn bằng dấu phẩy: ke-hoach, to-trinh, "
                                            "bien-ban, bao-cao, quyet-dinh.")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp đã có.")
@click.option("--templates", "templates_dir", metavar="THƯ_MỤC_MẪU", type=click.Path(path_type=Path),
              help="Thư mục chứa mẫu .docx thay cho mẫu có sẵn (cùng tên tệp). Mặc định dùng thư mục "
                   "templates/ bên cạnh bảng tính nếu có.")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF từng văn bản và một tệp PDF cả bộ hồ sơ để in "
                                          "(cần LibreOffice).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Số tiến trình tạo văn bản song song (mặc định: số nhân CPU khi có nhiều văn bản).")
@click.option("-q", "--quiet", is_flag=True, help="Không hiện thanh tiến độ và danh sách tệp (chỉ báo lỗi).")
@click.option("-v", "--verbose", is_flag=True, help="Cho biết thêm cách tạo văn bản (số tiến trình, mẫu nào "
                                                    "phải dùng cách chậm).")
@friendly
def build(workbook: Path, outdir: Path | None, only: str | None, force: bool, templates_dir: Path | None,
          pdf: bool, jobs: int | None, quiet: bool, verbose: bool) -> None:
    from .build import build as do_build
    from .documents import REGISTRY
    from .progress_bar import TerminalProgress

    documents = _parse_only(REGISTRY.parse_only, only)
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise click.BadParameter(f'"{templates_dir}" không phải thư mục.', param_hint="--templates")
    with TerminalProgress(enabled=not quiet) as bar:
        result = do_build(workbook, outdir, only=documents, force=force, templates_dir=templates_dir, pdf=pdf,
                          jobs=jobs, progress=bar.update)
    if verbose:
        for note in result.notes:
            click.echo(f"* {note}")
    if not quiet:
        _print_result(result)


def _print_result(result) -> None:
    docx = result.docx_files
    click.echo(f"Đã tạo {len(docx)} văn bản trong {result.outdir}:")
    for f in result.files:
        click.echo(f"  - {f.relative_to(result.outdir).as_posix()}")
    if result.pdfs:
        click.echo(f"  - pdf/ ({len(result.pdfs)} tệp PDF, mỗi văn bản một tệp)")
    if result.print_file is not None:
        click.echo(f"  - pdf/{result.print_file.name} (cả bộ hồ sơ đề nghị trong một tệp để in: Tờ trình, "
                   "Biên bản, Báo cáo thành tích của những người được đề nghị)")
    if result.restored:
        click.echo(f"Đã khôi phục {len(result.restored)} tệp của lần tạo trước (lần chạy trước bị dừng giữa chừng).")
    if result.removed:
        click.echo(f"Đã xóa {len(result.removed)} tệp PDF cũ trong pdf/ của các văn bản vừa tạo lại (không còn "
                   "khớp); thêm --pdf để xuất PDF mới.")
    warnings = result.report.warnings
    if warnings:
        click.echo(f"Có {len(warnings)} cảnh báo (xem kiem-tra.txt):")
        for p in warnings[:10]:
            click.echo(f"  - {p.format()}")
        if len(warnings) > 10:
            click.echo(f"  … và {len(warnings) - 10} cảnh báo khác.")


@cli.command(help="Tạo bộ hồ sơ mẫu (VKSND tỉnh Cao Bằng, phong trào \"Cả nước thi đua đổi mới sáng tạo và "
                  "chuyển đổi số\") để xem trước kết quả.")
@click.option("-o", "--output", "outdir", metavar="THƯ_MỤC_RA", type=click.Path(path_type=Path),
              default=Path("docgen-demo"), show_default=True, help="Thư mục ghi văn bản.")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp đã có.")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF từng văn bản và một tệp PDF cả bộ hồ sơ để in "
                                          "(cần LibreOffice).")
@friendly
def demo(outdir: Path, force: bool, pdf: bool) -> None:
    from .build import demo as do_demo, demo_workbook

    result = do_demo(outdir, force=force, pdf=pdf)
    click.echo(f"Bảng tính mẫu: {demo_workbook()}")
    _print_result(result)


@cli.command(help="Mở ứng dụng docgen trên trình duyệt (tiếng Việt): tải bảng tính trống, tải lên bảng tính đã điền, "
                  "xem lỗi, tạo, xem trước và tải về văn bản. Mặc định chỉ mở trên máy này (127.0.0.1).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ nghe. Địa chỉ khác 127.0.0.1 cho máy khác truy cập được; khi đó cần mã truy cập in ra.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Cổng (mặc định 8000, bận thì lấy cổng trống kế tiếp; 0 = cổng trống bất kỳ).")
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt.")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Thư mục lưu lịch sử và mẫu riêng (mặc định: thư mục dữ liệu của người dùng).")
@click.option("--max-upload-mb", type=click.IntRange(1, 1024), default=50, show_default=True,
              help="Dung lượng tối đa một tệp tải lên (MB).")
@click.option("--shortcut", is_flag=True, help="Tạo biểu tượng docgen trên màn hình nền (bấm vào là mở ứng dụng) rồi thoát.")
@friendly
def serve(host: str, port: int | None, no_browser: bool, data_dir: Path | None, max_upload_mb: int,
          shortcut: bool) -> None:
    if shortcut:
        from .web.shortcut import make_shortcut

        click.echo(f"Đã tạo biểu tượng: {make_shortcut()}\nBấm đúp vào biểu tượng để mở docgen trên trình duyệt.")
        return
    from .web.server import serve as run
    from .web.store import default_data_dir

    run(host, port, open_browser=not no_browser, data_dir=data_dir or default_data_dir(),
        max_upload_mb=max_upload_mb, echo=lambda line: click.echo(line))


# Loaded when used (a build does not import the checker): the ND30 checker, docgen templates list/show/vars/…
cli.lazy_commands.update(check="docgen.nd30.command:check_command",
                         templates="docgen.templates_command:templates_command")


def main() -> None:
    cli(prog_name="docgen")
