"""Template authoring: the context description, the built-in templates, the lint and ``docgen templates``.

Broken templates are real .docx files: a built-in template edited with python-docx the way a clerk edits it
in Word, and the same file re-saved by LibreOffice (``soffice --convert-to docx``)."""
from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree

import docgen
from docgen import assemble, context_schema as schema
from docgen.build import builtin_templates_dir, demo_workbook
from docgen.cli import cli
from docgen.errors import TemplateError
from docgen.lint import ERROR, lint_paths, lint_template
from docgen.pdf import find_soffice

ROOT = Path(__file__).resolve().parent.parent
BUILD = importlib.import_module("docgen.build")
needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# ------------------------------------------------------------------------------------------------------------
# The context description
# ------------------------------------------------------------------------------------------------------------

def test_docs_context_md_is_generated_from_the_description():
    current = (ROOT / "docs" / "context.md").read_text(encoding="utf-8")
    assert current == schema.markdown(), "docs/context.md drifted: python -m docgen.context_schema > docs/context.md"


def _mismatches(ctx: dict, variables: dict[str, schema.Var], path: str = "") -> list[str]:
    out = [f"not described: {path}{k}" for k in ctx if k not in variables]
    out += [f"described but absent: {path}{k}" for k in variables if k not in ctx]
    for key, value in ctx.items():
        var = variables.get(key)
        if var is None:
            continue
        if not schema.type_ok(var, value):
            out.append(f"{path}{key}: {type(value).__name__}, described as {var.type}")
        elif var.fields and value is not None:
            for item in (value if var.type == "list" else [value]):
                out += _mismatches(item, {f.name: f for f in var.fields}, f"{path}{key}.")
        elif var.type == "list":
            out += [f"{path}{key}[]: {type(i).__name__}" for i in value
                    if not isinstance(i, schema._PYTHON_TYPES[var.item])]
    return out


@pytest.mark.parametrize("workbook", ["vksnd-cao-bang.xlsx", "vkstc-251.xlsx"])
def test_assembled_context_has_exactly_the_described_names_and_types(workbook):
    campaign, report, evaluation, _ = docgen.validate(ROOT / "fixtures" / workbook)
    jobs = assemble.plan_documents(campaign, evaluation)
    assert {j.template for j in jobs} == {t for k in schema.kind_keys() for t in docgen.documents.REGISTRY.get(k).templates}
    for job in jobs:
        match = schema.for_template(job.template)
        assert match is not None and match[0] == job.key
        assert _mismatches(job.context, schema.describe(*match)) == [], job.output


def test_description_covers_every_filter_and_kind():
    from docgen.vietnamese import JINJA_FILTERS

    assert set(schema.FILTERS) == set(JINJA_FILTERS)
    assert all(k.own_variables() for k in docgen.documents.REGISTRY)
    personal, collective = schema.describe("bao-cao", "ca_nhan"), schema.describe("bao-cao", "tap_the")
    assert personal["doi_tuong"].field("ngay_sinh") and not personal["doi_tuong"].field("tru_so")
    assert collective["doi_tuong"].field("tru_so") and not collective["doi_tuong"].field("ngay_sinh")


# ------------------------------------------------------------------------------------------------------------
# The built-in templates
# ------------------------------------------------------------------------------------------------------------

def _canonical(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


def test_generator_is_the_master_and_the_templates_match_it(tmp_path):
    """tools/make_templates.py is the master: regenerating gives the same XML, part by part."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "make_templates.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for built in sorted(builtin_templates_dir().glob("*.docx")):
        with zipfile.ZipFile(built) as a, zipfile.ZipFile(tmp_path / built.name) as b:
            assert sorted(a.namelist()) == sorted(b.namelist()), built.name
            for name in a.namelist():
                left, right = a.read(name), b.read(name)
                if name.endswith((".xml", ".rels")):
                    left, right = _canonical(left), _canonical(right)
                assert left == right, f"{built.name}:{name} differs from the generator (python tools/make_templates.py)"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("template", sorted(p.name for p in builtin_templates_dir().glob("*.docx")))
def test_builtin_template_is_small_with_a_short_list_of_vietnamese_styles_all_used(template):
    path = builtin_templates_dir() / template
    assert path.stat().st_size < 20_000
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
        styles = etree.fromstring(zf.read("word/styles.xml"))
        used = set()
        for part in names:
            if part.startswith("word/") and part.endswith(".xml") and part != "word/styles.xml":
                root = etree.fromstring(zf.read(part))
                used |= {e.get(W + "val") for e in root.iter(W + "pStyle", W + "rStyle", W + "tblStyle")}
    assert styles.find(W + "latentStyles") is None
    defined = {s.get(W + "styleId"): s for s in styles.findall(W + "style")}
    based = {s.find(W + "basedOn").get(W + "val") for s in defined.values() if s.find(W + "basedOn") is not None}
    defaults = {sid for sid, s in defined.items() if s.get(W + "default") == "1"}
    assert set(defined) == used | based | defaults           # nothing unused
    custom = [s.find(W + "name").get(W + "val") for s in defined.values() if s.get(W + "customStyle") == "1"]
    assert 8 <= len(custom) <= 30
    assert "Chữ ký – chức vụ" in custom and "Tên cơ quan" in custom
    if template not in ("bao-cao-ca-nhan.docx", "bao-cao-tap-the.docx"):
        assert "Nơi nhận" in custom
    assert "Trích yếu" in custom
    assert all(any(ord(ch) > 127 for ch in n) for n in custom), custom        # Vietnamese, with diacritics


def test_every_builtin_template_lints_clean():
    assert lint_paths([builtin_templates_dir()]) == []


# ------------------------------------------------------------------------------------------------------------
# Broken templates, each a clerk's edit of a built-in
# ------------------------------------------------------------------------------------------------------------

def _para(doc, text):
    for p in doc.paragraphs:
        if text in p.text:
            return p
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if text in p.text:
                        return p
    raise AssertionError(text)


def _retype(p, text):
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    p.runs[0].text = text


def _typo(doc):
    _retype(_para(doc, "{{ doi_tuong.ho_ten }}"), "- Họ và tên: {{ doi_tuong.ho_tenn }}.")


def _unknown_variable(doc):
    _retype(_para(doc, "- Quê quán:"), "- Quê quán: {{ que_quan }}.")


def _loop_variable(doc):
    _retype(_para(doc, "{{ kt.ten }}"), "{{ kt.tenn }}")


def _bold_half(doc):
    p = _para(doc, "{{ doi_tuong.ho_ten }}")
    _retype(p, "- Họ và tên: {{ doi_tuong.")
    p.add_run("ho_ten }}.").bold = True


def _curly_quotes(doc):
    p = _para(doc, "- Quê quán:")
    _retype(p, "- Quê quán: {{ doi_tuong.que_quan or ‘…’ }}.")


def _p_with_text(doc):
    _retype(_para(doc, "{%p if doi_tuong.ngay_tuyen_dung %}"), "Tuyển dụng: {%p if doi_tuong.ngay_tuyen_dung %}")


def _tr_outside_table(doc):
    _retype(_para(doc, "{%p if doi_tuong.ngay_tuyen_dung %}"), "{%tr if doi_tuong.ngay_tuyen_dung %}")
    _retype(_para(doc, "- Ngày tuyển dụng"), "- Ngày tuyển dụng: {{ doi_tuong.ngay_tuyen_dung }}.")
    texts = [p.text for p in doc.paragraphs]
    end = doc.paragraphs[texts.index(next(t for t in texts if t.startswith("- Ngày tuyển dụng"))) + 1]
    _retype(end, "{%tr endif %}")


def _unclosed_block(doc):
    end = next(p for p in doc.paragraphs if p.text == "{%p endfor %}" and "thanh_tich" in
               p._p.getprevious().getprevious().xpath("string(.)"))
    end._p.getparent().remove(end._p)


def _unknown_filter(doc):
    _retype(_para(doc, "{{ doi_tuong.ho_ten }}"), "- Họ và tên: {{ doi_tuong.ho_ten|in_hoaa }}.")


def _bad_filter_arguments(doc):
    _retype(_para(doc, "{{ doi_tuong.ho_ten }}"), "- Họ và tên: {{ doi_tuong.ho_ten|so_chu(1, 2, 3) }}.")


def _en_dash_in_tieu_ngu(doc):
    _retype(_para(doc, "Độc lập - Tự do - Hạnh phúc"), "Độc lập – Tự do – Hạnh phúc")


def _signer_title_unbolded(doc):
    signature = doc.tables[-1]
    for cell in signature.rows[0].cells:                 # the signer title lines (XÁC NHẬN, ĐỀ NGHỊ …)
        for p in cell.paragraphs:
            for run in p.runs:
                run.bold = False


def _split_tag_across_paragraphs(doc):
    p = _para(doc, "{{ doi_tuong.ho_ten }}")
    _retype(p, "- Họ và tên: {{ doi_tuong.")
    p.insert_paragraph_before("")
    nxt = doc.add_paragraph("ho_ten }}.")
    p._p.addnext(nxt._p)


def _plain_block_across_paragraphs(doc):
    _retype(_para(doc, "{%p if doi_tuong.ngay_tuyen_dung %}"), "{% if doi_tuong.ngay_tuyen_dung %}")
    texts = [p.text for p in doc.paragraphs]
    end = doc.paragraphs[texts.index(next(t for t in texts if t.startswith("- Ngày tuyển dụng"))) + 1]
    _retype(end, "{% endif %}")


CASES = {
    # name: (edit, finding code, where it is reported (a substring), what the message says (a substring))
    "sai-truong": (_typo, "bien", "đoạn", '"doi_tuong" không có trường "ho_tenn" (có phải "ho_ten"?)'),
    "bien-la": (_unknown_variable, "bien", "đoạn", 'biến "que_quan" không có trong dữ liệu'),
    "bien-vong-lap": (_loop_variable, "bien", "bảng 2, hàng", '"kt" (mỗi phần tử của danh_hieu_da_dat) không có '
                                                               'trường "tenn"'),
    "dam-nua-the": (_bold_half, "the-tach", "đoạn", "khác nhau ở: đậm"),
    "nhay-cong": (_curly_quotes, "nhay-cong", "đoạn", "dấu nháy cong ‘"),
    "p-chung-doan": (_p_with_text, "the-p", "đoạn", '"Tuyển dụng:" sẽ mất'),
    "tr-ngoai-bang": (_tr_outside_table, "the-tr", "đoạn", "nằm ngoài bảng"),
    "thieu-the-dong": (_unclosed_block, "khoi", "đoạn", "không có thẻ đóng; thêm một đoạn chỉ gồm {%p endfor %}"),
    "bo-loc-la": (_unknown_filter, "cu-phap", "đoạn", 'không có bộ lọc "in_hoaa" (có phải "in_hoa"?)'),
    "bo-loc-sai-tham-so": (_bad_filter_arguments, "bien", "đoạn", 'bộ lọc "so_chu" nhận sai tham số'),
    "tieu-ngu-gach-dai": (_en_dash_in_tieu_ngu, "nd30", "văn bản tạo thử", "ND30-TIEUNGU-TEXT"),
    "chuc-vu-khong-dam": (_signer_title_unbolded, "nd30", "văn bản tạo thử", "ND30-SIGN"),
    "the-qua-hai-doan": (_split_tag_across_paragraphs, "the-do-dang", "đoạn", "không kết thúc trong cùng đoạn"),
    "khoi-thuong-qua-doan": (_plain_block_across_paragraphs, "khoi", "đoạn", "{%p if … %}"),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """{case: (python-docx file, LibreOffice re-save or None)}; every file is named bao-cao-ca-nhan.docx."""
    root = tmp_path_factory.mktemp("broken")
    out = {}
    for case, (edit, *_rest) in CASES.items():
        doc = Document(str(builtin_templates_dir() / "bao-cao-ca-nhan.docx"))
        edit(doc)
        folder = root / case
        folder.mkdir()
        doc.save(str(folder / "bao-cao-ca-nhan.docx"))
        out[case] = folder / "bao-cao-ca-nhan.docx"
    resaved = _libreoffice_resave(list(out.values()), root / "lo")
    return {case: (path, resaved.get(path)) for case, path in out.items()}


def _libreoffice_resave(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """Each file opened and saved again as .docx by LibreOffice, in one run (one output folder per file)."""
    soffice = find_soffice()
    if soffice is None:
        return {}
    result = {}
    with tempfile.TemporaryDirectory() as profile:
        staging = outdir / "in"
        staging.mkdir(parents=True)
        names = {}
        for i, p in enumerate(paths):
            names[f"f{i:02d}.docx"] = p
            shutil.copyfile(p, staging / f"f{i:02d}.docx")
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to",
                        "docx", "--outdir", str(outdir), *sorted(str(staging / n) for n in names)],
                       capture_output=True, timeout=300)
        for name, original in names.items():
            if (outdir / name).is_file():
                target = outdir / name.removesuffix(".docx") / original.name
                target.parent.mkdir()
                shutil.move(outdir / name, target)
                result[original] = target
    return result


def _check_case(path: Path, case: str) -> None:
    _, code, where, message = CASES[case]
    findings = lint_paths([path])
    hits = [f for f in findings if f.code == code and where in f.where and message in f.message
            and f.severity == ERROR]
    assert hits, (case, [f.format() for f in findings])
    assert all(f.template == "bao-cao-ca-nhan.docx" for f in findings)
    if code not in ("nd30", "khoi") or case == "khoi-thuong-qua-doan":
        assert hits[0].excerpt, hits[0].format()             # located, with the paragraph's text


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_lint_finding_on_a_python_docx_file(broken, case):
    _check_case(broken[case][0], case)


@needs_soffice
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_lint_finding_survives_a_libreoffice_resave(broken, case):
    resaved = broken[case][1]
    assert resaved is not None, "LibreOffice did not convert the file"
    _check_case(resaved, case)


@pytest.mark.parametrize("case", ["sai-truong", "dam-nua-the", "tieu-ngu-gach-dai", "thieu-the-dong"])
def test_a_build_refuses_the_broken_template_with_the_same_message(broken, case, tmp_path):
    work = tmp_path / "w"
    (work / "templates").mkdir(parents=True)
    shutil.copyfile(demo_workbook(), work / "ho-so.xlsx")
    shutil.copyfile(broken[case][0], work / "templates" / "bao-cao-ca-nhan.docx")
    expected = [f.format() for f in lint_paths([broken[case][0]]) if f.severity == ERROR]
    res = run("build", work / "ho-so.xlsx", "-o", tmp_path / "out")
    assert res.exit_code != 0
    assert 'Mẫu "bao-cao-ca-nhan.docx" có lỗi, chưa tạo văn bản nào' in res.output
    for line in expected:
        assert line in res.output
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in res.output


def _zip_with(src: Path, dest: Path, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = (replace or {}).get(item.filename, zin.read(item.filename))
            zout.writestr(item, data)
        for name, data in extra.items():
            zout.writestr(name, data)
    return dest


def test_unsafe_content_macros_and_external_relationships(tmp_path):
    src = builtin_templates_dir() / "to-trinh.docx"
    (tmp_path / "macro").mkdir()
    macro = _zip_with(src, tmp_path / "macro" / "to-trinh.docx", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    with zipfile.ZipFile(src) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
    remote = rels.replace("</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                          'officeDocument/2006/relationships/attachedTemplate" Target="http://example.org/x.dotm" '
                          'TargetMode="External"/></Relationships>')
    (tmp_path / "ext").mkdir()
    external = _zip_with(src, tmp_path / "ext" / "to-trinh.docx", {}, {"word/_rels/document.xml.rels": remote.encode()})
    found = lint_paths([macro])
    assert any(f.code == "khong-an-toan" and "macro" in f.message and f.severity == ERROR for f in found)
    found = lint_paths([external])
    assert any(f.code == "khong-an-toan" and "http://example.org/x.dotm" in f.message and f.severity == ERROR
               and "document.xml.rels" in f.where for f in found)
    res = run("templates", "lint", external)
    assert res.exit_code == 1 and "attachedTemplate" in res.output


def test_unreadable_and_misnamed_templates(tmp_path):
    bad = tmp_path / "to-trinh.docx"
    bad.write_bytes(b"not a zip")
    assert [f.code for f in lint_paths([bad])] == ["tep"]
    other = tmp_path / "mau-cua-toi.docx"
    shutil.copyfile(builtin_templates_dir() / "to-trinh.docx", other)
    found = lint_paths([other])
    assert [f.code for f in found] == ["ten-tep"] and found[0].severity != ERROR


# ------------------------------------------------------------------------------------------------------------
# A template edited the way a clerk would: built correctly, or refused saying where and what
# ------------------------------------------------------------------------------------------------------------

def _clerk_edit(path: Path) -> None:
    """Text retyped, a paragraph moved, a tag made bold as a whole (not halfway): still a good template."""
    doc = Document(str(path))
    _retype(_para(doc, "- Trú quán:"), "- Nơi ở hiện nay: {{ doi_tuong.tru_quan or '…' }}.")
    moved = _para(doc, "- Đơn vị công tác:")
    _para(doc, "- Sinh ngày:")._p.addprevious(moved._p)
    for run in _para(doc, "- Quê quán:").runs:
        run.bold = True
    doc.save(str(path))


def test_clerk_edits_build_correctly_also_after_a_libreoffice_resave(tmp_path):
    folder = tmp_path / "mau"
    folder.mkdir()
    shutil.copyfile(builtin_templates_dir() / "bao-cao-ca-nhan.docx", folder / "bao-cao-ca-nhan.docx")
    _clerk_edit(folder / "bao-cao-ca-nhan.docx")
    sources = [folder / "bao-cao-ca-nhan.docx"]
    resaved = _libreoffice_resave(sources, tmp_path / "lo")
    for template in [*sources, *resaved.values()]:
        assert lint_paths([template]) == [], template
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        docgen.build(demo_workbook(), out, only={"bao-cao"}, templates_dir=template.parent)
        doc = Document(str(next((out / "bao-cao-thanh-tich").glob("04-*.docx"))))
        texts = [p.text for p in doc.paragraphs]
        assert "- Nơi ở hiện nay: Xã Hòa Chung, tỉnh Cao Bằng." in texts or any(
            t.startswith("- Nơi ở hiện nay: ") and "{{" not in t for t in texts)
        assert texts.index(next(t for t in texts if t.startswith("- Đơn vị công tác"))) < \
            texts.index(next(t for t in texts if t.startswith("- Sinh ngày")))
        bold = [r.bold for p in doc.paragraphs if p.text.startswith("- Quê quán:") for r in p.runs]
        assert bold and all(bold)


@needs_soffice
def test_builtin_templates_resaved_by_libreoffice_lint_clean_and_build_the_same_text(tmp_path):
    sources = sorted(builtin_templates_dir().glob("*.docx"))
    resaved = _libreoffice_resave(sources, tmp_path / "lo")
    assert len(resaved) == len(sources)
    folder = tmp_path / "resaved"
    folder.mkdir()
    for path in resaved.values():
        shutil.copyfile(path, folder / path.name)
    assert [f.format() for f in lint_paths([folder])] == []
    a = docgen.build(demo_workbook(), tmp_path / "a")
    b = docgen.build(demo_workbook(), tmp_path / "b", templates_dir=folder)
    assert [f.relative_to(a.outdir) for f in a.docx_files] == [f.relative_to(b.outdir) for f in b.docx_files]
    for fa, fb in zip(a.docx_files, b.docx_files):
        assert _all_text(fa) == _all_text(fb), fa.name


def _all_text(path: Path) -> list[str]:
    doc = Document(str(path))
    return [" ".join(p.text.split()) for p in doc.element.body.iter(W + "p") for p in [_P(p)]]


class _P:
    def __init__(self, el):
        self.text = "".join(t.text or "" for t in el.iter(W + "t"))


# ------------------------------------------------------------------------------------------------------------
# docgen templates …
# ------------------------------------------------------------------------------------------------------------

def test_templates_list_shows_which_template_a_build_uses(tmp_path):
    (tmp_path / "templates").mkdir()
    shutil.copyfile(demo_workbook(), tmp_path / "ho-so.xlsx")
    shutil.copyfile(builtin_templates_dir() / "to-trinh.docx", tmp_path / "templates" / "to-trinh.docx")
    shutil.copyfile(builtin_templates_dir() / "to-trinh.docx", tmp_path / "templates" / "cu.docx")
    res = run("templates", "list", "--workbook", tmp_path / "ho-so.xlsx")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert any(l.strip().startswith("to-trinh.docx") and "Tờ trình" in l and "mẫu riêng" in l for l in lines)
    assert any(l.strip().startswith("ke-hoach.docx") and "mẫu có sẵn" in l for l in lines)
    assert any(l.strip().startswith("bao-cao-tap-the.docx") and "tập thể" in l for l in lines)
    assert any("cu.docx" in l and "không được dùng" in l for l in lines)


def test_templates_show_vars_copy_lint(tmp_path):
    res = run("templates", "show", "bao-cao-ca-nhan")
    assert res.exit_code == 0, res.output
    assert "doi_tuong.ho_ten" in res.output and "kt in danh_hieu_da_dat" in res.output
    res = run("templates", "vars", "to-trinh")
    assert res.exit_code == 0
    assert "danh_sach[].phan[].dong[].ten (chữ)" in res.output and "doi_tuong" not in res.output
    res = run("templates", "vars", "--json")
    data = json.loads(res.output)
    assert {"ten": "nam", "kieu": "số", "y_nghia": "Năm thi đua", "vi_du": "2026"} in data["ke-hoach"]
    res = run("templates", "vars", "khong-co")
    assert res.exit_code != 0 and "Không có mẫu" in res.output
    res = run("templates", "copy", "to-trinh", "bao-cao-tap-the.docx", tmp_path / "mau")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "mau").iterdir()) == ["bao-cao-tap-the.docx", "to-trinh.docx"]
    res = run("templates", "copy", "to-trinh", tmp_path / "mau")
    assert res.exit_code != 0 and "--force" in res.output
    res = run("templates", "lint", tmp_path / "mau")
    assert res.exit_code == 0 and "Mẫu không có lỗi." in res.output
    doc = Document(str(tmp_path / "mau" / "to-trinh.docx"))
    _retype(_para(doc, "Kính trình {{ kinh_trinh }} xem xét, quyết định"), "Kính trình {{ kinh_trinhh }} xem xét./.")
    doc.save(str(tmp_path / "mau" / "to-trinh.docx"))
    res = run("templates", "lint", tmp_path / "mau" / "to-trinh.docx")
    assert res.exit_code == 1
    assert 'to-trinh.docx, đoạn' in res.output and 'biến "kinh_trinhh"' in res.output and '(có phải "kinh_trinh"?)' in res.output
    res = run("templates", "lint", "--json", tmp_path / "mau" / "to-trinh.docx")
    assert json.loads(res.output)["loi"] == 1


def test_lint_with_a_workbook_uses_its_data(tmp_path):
    res = run("templates", "lint", "--workbook", ROOT / "fixtures" / "vkstc-251.xlsx", builtin_templates_dir())
    assert res.exit_code == 0, res.output




# ------------------------------------------------------------------------------------------------ keep-lines

def _keeps(doc, p) -> tuple[bool, bool]:
    """(keepNext, keepLines) of a paragraph: set on it or on its style (or the style's bases)."""
    found = {}
    for tag in ("keepNext", "keepLines"):
        el = p.find(f"{W}pPr/{W}{tag}")
        sid = p.find(f"{W}pPr/{W}pStyle")
        sid = sid.get(W + "val") if sid is not None else None
        while el is None and sid:
            style = doc.styles.element.find(f"{W}style[@{W}styleId='{sid}']")
            el = style.find(f"{W}pPr/{W}{tag}") if style is not None else None
            based = style.find(f"{W}basedOn") if style is not None else None
            sid = based.get(W + "val") if based is not None else None
        found[tag] = el is not None and el.get(W + "val") not in ("0", "false")
    return found["keepNext"], found["keepLines"]


@pytest.mark.parametrize("name", ["ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx", "bao-cao-ca-nhan.docx",
                                  "bao-cao-tap-the.docx", "quyet-dinh.docx"])
def test_headings_and_the_signature_block_keep_lines_and_keep_with_next(name):
    """The template XML says it: section headings, list group rows and every paragraph of the Nơi nhận /
    signature block are kept whole (keepLines) and with what follows (keepNext), and so is the last paragraph
    of the text before the block."""
    from docx import Document

    doc = Document(str(builtin_templates_dir() / name))
    body = doc.element.body
    styles = {"Muc", "Mucnho", "Muc nho", "Tenloai", "Ten loai", "Bangnhom", "Bang nhom", "Noinhan", "Noi nhan",
              "Chucvuky", "Chuc vu ky", "Hotenky", "Ho ten ky"}
    checked = 0
    for p in body.iter(W + "p"):
        sid = p.find(f"{W}pPr/{W}pStyle")
        if sid is not None and sid.get(W + "val") in styles:
            assert _keeps(doc, p) == (True, True), (name, sid.get(W + "val"), "".join(p.itertext()))
            checked += 1
    assert checked >= 5
    tables = body.findall(W + "tbl")
    sign = next(t for t in tables if any("ho_ten" in "".join(x.itertext()) for x in t.iter(W + "p"))
                and t.find(f"{W}tblPr/{W}tblBorders/{W}top").get(W + "val") == "nil" and t is not tables[0])
    for p in sign.iter(W + "p"):
        assert _keeps(doc, p) == (True, True), (name, "".join(p.itertext()))
    for row in sign.findall(W + "tr"):
        assert row.find(f"{W}trPr/{W}cantSplit") is not None
    before = [el for el in sign.itersiblings(preceding=True) if el.tag == W + "p"
              and "".join(el.itertext()).strip() and not "".join(el.itertext()).lstrip().startswith("{%p")]
    assert _keeps(doc, before[0]) == (True, True), (name, "".join(before[0].itertext()))
