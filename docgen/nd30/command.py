"""The ``docgen check`` command (wired into the main CLI as ``cli.add_command(check_command, "check")``)."""
from __future__ import annotations

import click

from . import check_files, exit_code, to_json, to_text
from .report import DOC_TYPES
from .rules import normalize_doc_type

_TYPES_HELP = ", ".join(f"{code} ({name})" for code, name in DOC_TYPES.items())


def _doc_type(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        return normalize_doc_type(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" không phải loại văn bản đã biết. Các loại: {_TYPES_HELP}.') from None


@click.command(
    "check",
    help="Kiểm tra thể thức văn bản .docx theo Nghị định 30/2020/NĐ-CP (khổ giấy, lề, phông chữ, "
         "Quốc hiệu - Tiêu ngữ, số ký hiệu, ngày tháng, tên loại, nội dung, nơi nhận, chữ ký, số trang).\n\n"
         "Mã thoát: 0 nếu mọi tệp đạt; 1 nếu có lỗi thể thức; 2 nếu có tệp không đọc được.",
    short_help="Kiểm tra thể thức văn bản .docx theo Nghị định 30/2020/NĐ-CP.",
    add_help_option=False,
)
@click.help_option("-h", "--help", help="Hiện hướng dẫn này rồi thoát.")
@click.argument("files", nargs=-1, required=True, metavar="TỆP.docx...", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON (ổn định, xem docs/nd30-check.md).")
@click.option("--loai", "doc_type", callback=_doc_type, metavar="LOẠI",
              help="Loại văn bản (KH, TTr, BB, BC, QĐ, CV = công văn, …). Mặc định: nhận từ tên loại trên văn bản.")
@click.option("--render", is_flag=True,
              help="Kiểm tra cả trang in: xuất PDF bằng LibreOffice rồi đo vị trí chữ (tên cơ quan, đường kẻ, "
                   "từ bị ngắt trong bảng, chữ ký cùng trang, đề mục cuối trang).")
@click.pass_context
def check_command(ctx: click.Context, files: tuple[str, ...], as_json: bool, doc_type: str | None,
                  render: bool) -> None:
    results = check_files(files, doc_type)
    if render:
        from .printed import add_printed_findings

        add_printed_findings(results)
    click.echo(to_json(results) if as_json else to_text(results))
    ctx.exit(exit_code(results))
