"""``docgen templates …``: list, show, describe, copy and lint the templates (a thin layer over
:mod:`docgen.lint`, :mod:`docgen.context_schema` and :func:`docgen.build.find_template`)."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from .cli_base import _Group, friendly

TEMPLATES_OPTION = click.option(
    "--templates", "templates_dir", metavar="THƯ_MỤC_MẪU", type=click.Path(path_type=Path),
    help="Thư mục mẫu riêng (như docgen build --templates).")
WORKBOOK_OPTION = click.option(
    "--workbook", "workbook", metavar="BẢNG_TÍNH", type=click.Path(path_type=Path),
    help="Bảng tính của đợt: mẫu trong thư mục templates/ bên cạnh nó được dùng thay mẫu có sẵn.")


class _TemplatesGroup(_Group):
    """``docgen templates DIR`` (the form before subcommands) still copies, with a hint."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            click.echo("Gợi ý: lệnh này nay viết là docgen templates copy THƯ_MỤC.", err=True)
            return "copy", self.commands["copy"], args
        return super().resolve_command(ctx, args)


@click.group("templates", cls=_TemplatesGroup, help=(
    "Mẫu văn bản (.docx): xem, chép ra để sửa trong Word, kiểm tra mẫu đã sửa.\n\n"
    "docgen dùng mẫu trong --templates THƯ_MỤC, hoặc trong thư mục templates/ bên cạnh bảng tính, thay cho mẫu "
    "có sẵn cùng tên tệp."))
def templates_command() -> None:
    pass


def _templates(templates_dir: Path | None, workbook: Path | None):
    """(file name, description, path a build would use, built-in?) for every template of every kind."""
    from . import context_schema as schema
    from .resources import find_template, is_builtin_template
    from .documents import REGISTRY

    rows = []
    for kind in REGISTRY:
        for i, name in enumerate(kind.templates):
            form = ""
            if kind.per_candidate:
                form = " – cá nhân" if schema.FORMS[i] == "ca_nhan" else " – tập thể"
            path = find_template(name, templates_dir=templates_dir, workbook=workbook)
            rows.append((name, f"{kind.name}{form} ({kind.code})", path,
                         is_builtin_template(path)))
    return rows


@templates_command.command("list", help="Liệt kê các mẫu, mô tả ngắn và mẫu nào sẽ được dùng khi tạo văn bản.")
@TEMPLATES_OPTION
@WORKBOOK_OPTION
@friendly
def list_command(templates_dir: Path | None, workbook: Path | None) -> None:
    rows = _templates(templates_dir, workbook)
    width = max(len(r[0]) for r in rows)
    for name, description, path, builtin in rows:
        used = "mẫu có sẵn" if builtin else f"mẫu riêng: {path}"
        click.echo(f"  {name:<{width}}  {description}; dùng {used}")
    known = {r[0] for r in rows}
    for folder in [d for d in (templates_dir, workbook.parent / "templates" if workbook else None) if d]:
        for extra in sorted(Path(folder).glob("*.docx")):
            if extra.name not in known and not extra.name.startswith("~$"):
                click.echo(f"  {extra.name:<{width}}  (không trùng tên mẫu nào nên không được dùng: {extra})")


def _resolve(name: str, templates_dir: Path | None, workbook: Path | None) -> Path:
    from .resources import find_template
    from .errors import TemplateError

    path = Path(name)
    if path.suffix.lower() == ".docx" and path.is_file():
        return path
    file_name = name if name.endswith(".docx") else f"{name}.docx"
    from .documents import REGISTRY

    kind = REGISTRY.find(name.removesuffix(".docx"))
    if kind is not None and file_name not in kind.templates:
        file_name = kind.templates[0]
    try:
        return find_template(file_name, templates_dir=templates_dir, workbook=workbook)
    except TemplateError:
        names = ", ".join(t for k in REGISTRY for t in k.templates)
        raise TemplateError(f'Không có mẫu "{name}". Các mẫu: {names}.') from None


@templates_command.command("show", help="Các biến, vòng lặp, điều kiện và bộ lọc mà một mẫu dùng.")
@click.argument("name", metavar="TÊN_MẪU")
@TEMPLATES_OPTION
@WORKBOOK_OPTION
@friendly
def show_command(name: str, templates_dir: Path | None, workbook: Path | None) -> None:
    from .lint import template_usage

    path = _resolve(name, templates_dir, workbook)
    usage = template_usage(path)
    click.echo(f"Mẫu {path}")
    for title, items in (("Biến", usage.variables), ("Vòng lặp", usage.loops), ("Điều kiện", usage.conditions),
                         ("Bộ lọc", usage.filters)):
        click.echo(f"\n{title} ({len(items)}):")
        for item in items:
            click.echo(f"  {item}")
    click.echo("\nÝ nghĩa từng biến: docgen templates vars " + path.name)


@templates_command.command("vars", help="Các biến mẫu dùng được (tên, kiểu, ý nghĩa, ví dụ), cho mọi văn bản "
                                        "hoặc cho một mẫu / loại văn bản.")
@click.argument("name", metavar="[TÊN_MẪU]", required=False)
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@friendly
def vars_command(name: str | None, as_json: bool) -> None:
    from . import context_schema as schema
    from .documents import REGISTRY
    from .errors import TemplateError

    if name is None:
        selected = [(key, None, REGISTRY.get(key).name) for key in schema.kind_keys()]
    else:
        match = schema.for_template(Path(name).name if name.endswith(".docx") else f"{name}.docx")
        kind = REGISTRY.find(name.removesuffix(".docx")) if match is None else None
        if match is None and kind is None:
            raise TemplateError(f'Không có mẫu hay loại văn bản "{name}"; chọn trong: '
                                + ", ".join(t for k in REGISTRY for t in k.templates) + ".")
        match = match or (kind.key, None)
        selected = [(match[0], match[1], REGISTRY.get(match[0]).name)]
    data = {}
    for key, form, title in selected:
        rows = schema.flatten(schema.describe(key, form).values())
        data[key] = [{"ten": p, "kieu": v.type_text, "y_nghia": v.meaning, "vi_du": v.example} for p, v in rows]
        if not as_json:
            click.echo(f"\n{title} ({', '.join(REGISTRY.get(key).templates)}):")
            for p, v in rows:
                example = f" — ví dụ: {v.example}" if v.example else ""
                click.echo(f"  {p} ({v.type_text}): {v.meaning}{example}")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo("\nBộ lọc: " + ", ".join(schema.FILTERS) + " (xem docs/context.md).")


@templates_command.command("copy", help="Chép các mẫu có sẵn (tất cả, hoặc các TÊN_MẪU) vào THƯ_MỤC để sửa trong "
                                        "Word; dùng lại bằng docgen build --templates THƯ_MỤC, hoặc đặt thư mục "
                                        "templates/ bên cạnh bảng tính.")
@click.argument("args", metavar="[TÊN_MẪU…] THƯ_MỤC", nargs=-1, required=True)
@click.option("--force", is_flag=True, help="Cho phép ghi đè mẫu đã có.")
@friendly
def copy_command(args: tuple[str, ...], force: bool) -> None:
    from .resources import builtin_templates_dir
    from .errors import OutputError

    directory = Path(args[-1])
    sources = sorted(builtin_templates_dir().glob("*.docx"))
    if len(args) > 1:
        wanted = [_resolve(n, None, None) for n in args[:-1]]
        sources = [s for s in sources if s.name in {w.name for w in wanted}]
    clash = [s.name for s in sources if (directory / s.name).exists()]
    if clash and not force:
        raise OutputError(f"{directory} đã có: {', '.join(clash)}. Thêm --force để ghi đè.")
    directory.mkdir(parents=True, exist_ok=True)
    for s in sources:
        shutil.copyfile(s, directory / s.name)
        click.echo(f"  - {directory / s.name}")
    click.echo(f"Đã chép {len(sources)} mẫu văn bản. Sửa trong Word, rồi kiểm tra: docgen templates lint "
               f"{directory}. Danh sách biến: docgen templates vars.")


@templates_command.command("lint", help="Kiểm tra mẫu đã sửa (tệp .docx hoặc thư mục): cú pháp thẻ, biến, thẻ bị "
                                        "Word tách, thẻ {%p %}/{%tr %}, dấu nháy cong, nội dung không an toàn, và "
                                        "thể thức NĐ 30 của văn bản tạo thử. Mã thoát 1 khi có lỗi.")
@click.argument("paths", metavar="MẪU…", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workbook", "workbook", metavar="BẢNG_TÍNH", type=click.Path(path_type=Path),
              help="Tạo thử bằng dữ liệu của bảng tính này thay cho bộ hồ sơ mẫu.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@friendly
def lint_command(paths: tuple[Path, ...], workbook: Path | None, as_json: bool) -> None:
    from .lint import ERROR, lint_paths

    findings = lint_paths(paths, workbook=workbook)
    errors = [f for f in findings if f.severity == ERROR]
    if as_json:
        click.echo(json.dumps({"loi": len(errors), "canh_bao": len(findings) - len(errors),
                               "ket_qua": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            click.echo(f.format())
        if findings:
            click.echo(f"\n{len(errors)} lỗi, {len(findings) - len(errors)} cảnh báo.")
        else:
            click.echo("Mẫu không có lỗi.")
    sys.exit(1 if errors else 0)
