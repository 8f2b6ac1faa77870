"""The render stage: sandboxed, strict templates; data printed literally, exactly once, in every part
(body, tables, headers, footers, document properties); broken or malicious templates fail with a message
naming the template and the place, and nothing is written."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import given, settings, strategies as st
from markupsafe import Markup

import docgen
from docgen import render
from docgen.build import builtin_templates_dir, demo_workbook
from docgen.cli import cli
from docgen.errors import TemplateError

NASTY = "{{ 6*7 }} {% if 1 %}x{% endif %} {_{ a }_} & <b>đậm</b> \"nháy\" 'đơn' %_} {#c#}"


def make_template(path: Path, body: list[str], *, header: str = "", footer: str = "", title: str = "") -> Path:
    doc = Document()
    for text in body:
        doc.add_paragraph(text)
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if title:
        doc.core_properties.title = title
        doc.core_properties.subject = title
    doc.save(path)
    return path


def text_of(data: bytes) -> dict[str, str]:
    doc = Document(io.BytesIO(data))
    s = doc.sections[0]
    return {"body": "\n".join(p.text for p in doc.paragraphs),
            "header": "\n".join(p.text for p in s.header.paragraphs),
            "footer": "\n".join(p.text for p in s.footer.paragraphs),
            "title": doc.core_properties.title, "subject": doc.core_properties.subject}


def test_data_is_literal_exactly_once_in_every_part(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["A: {{ v }}", "B: {{ v|in_hoa }}"], header="H: {{ v }}",
                        footer="F: {{ v }}", title="T: {{ v }}")
    out = text_of(render.render(tpl, {"v": NASTY}))
    assert out["body"].splitlines()[0] == f"A: {NASTY}"
    assert out["header"] == f"H: {NASTY}"
    assert out["footer"] == f"F: {NASTY}"
    assert out["title"] == f"T: {NASTY}"          # not "&amp;", not rendered twice
    assert out["subject"] == f"T: {NASTY}"
    assert "42" not in out["body"] + out["header"] + out["footer"] + out["title"]


def test_xml_illegal_characters_in_data_are_dropped(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["{{ v }}"], title="{{ v }}")
    data = render.render(tpl, {"v": "a\x00b\x0bc\x1fd\ufffe"})
    out = text_of(data)
    assert out["body"] == "abcd" and out["title"] == "abcd"
    with zipfile.ZipFile(io.BytesIO(data)) as z:     # the package stays well-formed XML
        from lxml import etree
        for name in z.namelist():
            if name.endswith(".xml"):
                etree.fromstring(z.read(name))


def test_line_breaks_in_data_are_kept(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["{{ v }}"])
    doc = Document(io.BytesIO(render.render(tpl, {"v": "dòng 1\ndòng 2"})))
    assert doc.paragraphs[0].text == "dòng 1\ndòng 2"


@pytest.mark.parametrize("expression,fragment", [
    ("{{ cycler.__init__.__globals__.os.system('id') }}", "__init__"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
    ("{{ v.__class__.__base__ }}", "__class__"),
    ("{{ self.__init__.__globals__ }}", "__init__"),
    ("{{ joiner.__init__.__globals__ }}", "__init__"),
    ("{{ namespace.__init__ }}", "__init__"),
    ("{{ lipsum.__globals__['os'] }}", "__globals__"),
])
def test_sandbox_refuses_python_internals(tmp_path, expression, fragment):
    tpl = make_template(tmp_path / "doc-xau.docx", ["Mở đầu", expression])
    with pytest.raises(TemplateError) as err:
        render.render(tpl, {"v": "x"})
    msg = str(err.value)
    assert msg.startswith('Mẫu "doc-xau.docx":')
    assert "không được phép" in msg or "không có trong dữ liệu" in msg
    assert fragment in msg or "lipsum" in msg
    assert "ở đoạn" in msg


def test_unknown_variable_is_an_error_naming_it_and_the_place(tmp_path):
    tpl = make_template(tmp_path / "ke-hoach.docx", ["Kính gửi: {{ kinh_gui_sai }}"])
    with pytest.raises(TemplateError) as err:
        render.render(tpl, {"kinh_gui": "x"})
    assert str(err.value) == ('Mẫu "ke-hoach.docx": biến "kinh_gui_sai" không có trong dữ liệu (xem docs/context.md) '
                              '(ở đoạn: "Kính gửi: {{ kinh_gui_sai }}")')


def test_syntax_error_names_the_template_and_nearby_text(tmp_path):
    tpl = make_template(tmp_path / "bb.docx", ["Đoạn trước", "{% for x in %}", "Đoạn sau"])
    with pytest.raises(TemplateError) as err:
        render.render(tpl, {})
    assert 'Mẫu "bb.docx": thẻ mẫu viết sai cú pháp' in str(err.value)
    assert "Đoạn trước" in str(err.value)


def test_damaged_template_file(tmp_path):
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not really a docx")
    with pytest.raises(TemplateError) as err:
        render.render(bad, {})
    assert 'Mẫu "hong.docx" không dùng được' in str(err.value)


def test_malicious_user_template_fails_the_build_and_writes_nothing(tmp_path):
    user = tmp_path / "mau"
    user.mkdir()
    make_template(user / "ke-hoach.docx", ["{{ cycler.__init__.__globals__.os.system('touch /tmp/pwned') }}"])
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["build", str(demo_workbook()), "-o", str(out), "--templates", str(user)])
    assert res.exit_code == 1
    assert 'Mẫu "ke-hoach.docx"' in res.output and "không được phép" in res.output
    assert "Traceback" not in res.output
    assert not out.exists() or not any(out.iterdir())


def _builtin_with(path: Path, starts: str, text: str) -> Path:
    """A copy of the built-in template of ``path``'s name with one paragraph retyped, as a clerk would."""
    doc = Document(str(builtin_templates_dir() / path.name))
    para = next(p for p in doc.paragraphs if p.text.startswith(starts))
    for run in para.runs[1:]:
        run._r.getparent().remove(run._r)
    para.runs[0].text = text
    doc.save(str(path))
    return path


def test_user_template_replaces_builtin_by_file_name(tmp_path):
    user = tmp_path / "mau"
    user.mkdir()
    _builtin_with(user / "ke-hoach.docx", "Để triển khai", "Kế hoạch riêng: {{ ten_phong_trao }} – {{ so_ky_hieu }}")
    result = docgen.build(demo_workbook(), tmp_path / "out", only={"ke-hoach"}, templates_dir=user)
    texts = [p.text for p in Document(str(tmp_path / "out" / "ke-hoach.docx")).paragraphs]
    assert "Kế hoạch riêng: Cả nước thi đua đổi mới sáng tạo và chuyển đổi số – 05/KH-VKSCB" in texts
    assert not any(t.startswith("Để triển khai") for t in texts)
    assert [f.name for f in result.docx_files] == ["ke-hoach.docx"]


def test_templates_folder_beside_the_workbook_is_used(tmp_path):
    wb = tmp_path / "ho-so.xlsx"
    wb.write_bytes(demo_workbook().read_bytes())
    (tmp_path / "templates").mkdir()
    _builtin_with(tmp_path / "templates" / "to-trinh.docx", "(Có danh sách", "TTr riêng {{ tong_de_nghi_chu }}.")
    docgen.build(wb, tmp_path / "out", only={"to-trinh"})
    texts = [p.text for p in Document(str(tmp_path / "out" / "to-trinh.docx")).paragraphs]
    assert "TTr riêng 03 (ba) tập thể và 06 (sáu) cá nhân." in texts


def test_every_builtin_template_uses_only_described_variables():
    """Every variable, attribute path and loop variable of each built-in template is in the context
    description of its document kind (docgen/context_schema.py, which docs/context.md is made from)."""
    from docgen import context_schema
    from docgen.lint import lint_template

    for tpl in sorted(builtin_templates_dir().glob("*.docx")):
        assert context_schema.for_template(tpl.name) is not None, tpl.name
        findings = [f for f in lint_template(tpl) if f.code == "bien"]
        assert findings == [], [f.format() for f in findings]
        for name in render.variables(tpl):
            assert name == "loop" or name in context_schema.describe(*context_schema.for_template(tpl.name)), name


FOOTNOTES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
             '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">Chú thích: {{ v }}</w:t></w:r></w:p>'
             '</w:footnote></w:footnotes>')


def add_footnotes(path: Path) -> None:
    """python-docx cannot write footnotes: add the part (and its relationship) by hand, as Word would."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    items["word/footnotes.xml"] = FOOTNOTES.encode("utf-8")
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.wordprocessingml.footnotes+xml"/></Types>')
    items["word/_rels/document.xml.rels"] = items["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items.items():
            z.writestr(name, data)


def test_data_is_literal_in_footnotes(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["{{ v }}"])
    add_footnotes(tpl)
    data = render.render(tpl, {"v": NASTY})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        from lxml import etree
        root = etree.fromstring(z.read("word/footnotes.xml"))
    texts = "".join(root.itertext())
    assert f"Chú thích: {NASTY}" in texts
    assert "42" not in texts


@pytest.mark.parametrize("expression", [
    "x.ho_ten", "x.khong_co", "x.items", "x.get", "x.__class__", "x.__name__", "x.ds[0].ten", "x.ds.0",
    "x.so", "x['ho_ten']", "y.ho_ten", "x.__dict__", "x.mro",
])
def test_attribute_of_a_context_dict_reads_as_in_the_stock_sandbox(expression):
    """docgen's environment reads ``x.y`` of a plain dict without the AttributeError detour; the answer (value,
    undefined, refused) is the stock sandbox's."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    context = {"x": {"ho_ten": "Lê Văn A", "ds": [{"ten": "B"}], "so": 3, "items": "mục"}, "y": 5}

    def outcome(env):
        try:
            return env.from_string("{{ " + expression + " }}").render(context)
        except Exception as exc:  # noqa: BLE001 - the outcome compared
            return type(exc).__name__, str(exc)

    stock = SandboxedEnvironment(undefined=StrictUndefined)
    assert outcome(render._TEXT_ENV) == outcome(stock)


@settings(max_examples=40, deadline=None)
@given(value=st.one_of(st.text(), st.integers(), st.none(), st.builds(Markup, st.text(alphabet="<>&ab"))))
def test_the_xml_environment_prints_each_value_escaped_once_as_jinja_would(value):
    """Its code leaves out the escape(…) Jinja writes around the finalize (which escapes already): the same
    text as Jinja's own code, outside and inside an autoescape-false block, with filters."""
    from jinja2.compiler import CodeGenerator

    from docgen import render

    plain = render._environment(xml=True)
    plain.code_generator_class = CodeGenerator
    source = ("[{{ v }}|{{ v | string | upper }}|{% autoescape false %}{{ v }}{% endautoescape %}"
              "|{{ '<&>' }}|{% for c in [v, v] %}{{ c }}{% endfor %}]")
    assert render._XML_ENV.code_generator_class is not CodeGenerator
    assert render._XML_ENV.from_string(source).render(v=value) == plain.from_string(source).render(v=value)


def test_a_remembered_value_prints_as_it_did_the_first_time():
    """Plain texts finalised once are remembered: a hostile text printed again is escaped again the same way,
    a long one is never kept, and a full memory does not grow past its bound."""
    from docgen import render

    render._escaped_again.cache_clear()
    template = render._XML_ENV.from_string("[{{ v }}]")
    values = ["<w:t>&amp;{_{ x }_}</w:t>", "Lê Thị Hoa", "a\x01b", "x_}", "{{ 6*7 }}"] + [f"dòng {i}" for i in range(120)]
    first = [template.render(v=v) for v in values]
    kept = render._escaped_again.cache_info().currsize
    long_text = "dài " * 200
    first.append(template.render(v=long_text))
    assert render._escaped_again.cache_info().currsize == kept == len(values)     # the long one is not kept
    again = [template.render(v=v) for v in values + [long_text]]
    assert first == again
    assert first[0] == "[&lt;w:t&gt;&amp;amp;{&#95;{ x }&#95;}&lt;/w:t&gt;]" and first[2] == "[ab]" and first[4] == "[{{ 6*7 }}]"
    assert all(render._escaped_again(v) == render._escaped(v) for v in values)
    bound = render._escaped_again.cache_info().maxsize
    for i in range(bound + 100):
        template.render(v=f"giá trị {i}")
    assert 0 < render._escaped_again.cache_info().currsize <= bound
