"""A body made in pieces (docgen.pieces) is the body the whole-body path makes: for every built-in template,
document after document as a batch renders them (pieces remembered from earlier documents), and the pieces
are refused wherever that could not hold."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree

from docgen import pieces, prepared, render
from docgen.build import builtin_templates_dir
from test_prepared import ROOT, jobs_of, parts

_DOC = "word/document.xml"


def _body_part(template: prepared.PreparedTemplate):
    found = [slot for slot in template._slots if isinstance(slot, prepared._Part) and slot.name == _DOC]
    assert len(found) == 1
    return found[0]


def _pieced_body(template: prepared.PreparedTemplate, context: dict) -> bytes | None:
    """The document part made from the pieces, or None when they are refused for this context."""
    part = _body_part(template)
    made = part.pieces.body(part.template.render(context), prepared._after_jinja)
    return None if made is None else part.document.around(made)


def _template(tmp_path: Path, *paragraphs: tuple[str, str | None], name: str = "mau.docx") -> Path:
    """A clerk's template: paragraphs (text, style name or None); "Duong ke trich yeu" is the rule style."""
    doc = Document()
    doc.styles.add_style("Duong ke trich yeu", WD_STYLE_TYPE.PARAGRAPH)
    for text, style in paragraphs:
        doc.add_paragraph(text, style=style)
    path = tmp_path / name
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def batch_jobs(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    from workbooks import make_workbook

    jobs = []
    for wb in [*sorted((ROOT / "fixtures").glob("*.xlsx")),
               make_workbook(tmp_path_factory.mktemp("lon") / "lon.xlsx", 40)]:
        jobs += jobs_of(wb)
    return jobs


def test_every_builtin_body_is_made_in_pieces():
    for path in builtin_templates_dir().glob("*.docx"):
        part = _body_part(prepared.PreparedTemplate(path))
        assert isinstance(part, prepared._PiecedPart), path.name
        assert part.source.count(part.pieces.mark) >= 4, path.name


def test_pieces_give_the_bytes_of_docxtpl_document_after_document(batch_jobs):
    """Every document of the fixtures and of a 40-candidate round, in plan order through one prepared
    template each (so later documents reuse the pieces of earlier ones): the document part made from the
    pieces is docxtpl's, and the whole document too."""
    fresh = {path.name: prepared.PreparedTemplate(path) for path in builtin_templates_dir().glob("*.docx")}
    used = set()
    for job in batch_jobs:
        template = fresh[job.template]
        reference = parts(render.render(builtin_templates_dir() / job.template, job.context))
        assert _pieced_body(template, job.context) == reference[_DOC], job.output
        assert parts(template.render(job.context)) == reference, job.output
        used.add(job.template)
    assert used == set(fresh)
    report = _body_part(fresh["bao-cao-ca-nhan.docx"]).pieces
    assert len(report._done) > 10                     # the pieces were remembered and reused


def test_the_cuts_stand_between_top_level_elements():
    for path in builtin_templates_dir().glob("*.docx"):
        source = etree.tostring(Document(str(path)).element.body, encoding="unicode")
        template = prepared.PreparedTemplate(path)
        marked = pieces.mark(source, template._styles.rules)
        assert marked is not None and marked.source.replace(marked.mark, "") == source
        tree = etree.fromstring(marked.source.encode())
        marks = [node for node in tree.iter(etree.ProcessingInstruction)]
        assert marks and all(node.getparent() is tree for node in marks), path.name
        assert marks[0] is tree[0] and marks[-1] is tree[-1] and tree[-2].tag.endswith("}sectPr")
        assert marks[-2] is tree[-3]                  # the final w:sectPr is a piece of its own
        assert marked.last.startswith(b"<w:sectPr") and marked.start.startswith(b"<w:body")
        rules = [i for i, child in enumerate(tree) if template._styles.rules
                 and any(ps.get(pieces._W_VAL) in template._styles.rules for ps in child.iter(pieces._W_STYLE))]
        if rules:                                     # no marker before the last rule at the top level
            assert not any(isinstance(node, etree._ProcessingInstruction) for node in tree[1:rules[-1]]), path.name


def test_comments_and_instructions_at_the_top_level_are_elements_of_their_own():
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    source = (f'<w:body xmlns:w="{w}"><w:p><w:r><w:t>a &gt; b {{{{ x }}}}</w:t></w:r></w:p><!-- x > y --><?pi z?>'
              '<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:sectPr><w:pgSz w:w="11906"/></w:sectPr></w:body>')
    start, children, end = pieces._children(source)
    assert source[:start].startswith("<w:body") and source[end:] == "</w:body>"
    assert [source[a:b][:6] for a, b in children] == ["<w:p><", "<!-- x", "<?pi z", "<w:tbl", "<w:sec"]
    marked = pieces.mark(source, set())
    assert marked.source.count(marked.mark) == 6 and marked.source.replace(marked.mark, "") == source


def test_a_rule_repeated_after_a_marker_is_laid_out_on_the_whole_body(tmp_path):
    """A loop that repeats a title and its rule: the second rule looks back past a marker, so that body is
    made whole; with one title it is made in pieces.  Both are docxtpl's documents."""
    path = _template(tmp_path, ("{%p for x in xs %}", None), ("TIÊU ĐỀ {{ x }}", None), ("", "Duong ke trich yeu"),
                     ("{%p endfor %}", None), ("Kết thúc.", None))
    template = prepared.PreparedTemplate(path)
    assert template._styles.rules and isinstance(_body_part(template), prepared._PiecedPart)
    for xs, in_pieces in ((["NGẮN"], True), (["MỘT TIÊU ĐỀ DÀI HƠN NHIỀU", "NGẮN"], False)):
        context = {"xs": xs}
        assert (_pieced_body(template, context) is not None) == in_pieces
        assert parts(template.render(context)) == parts(render.render(path, context))


@pytest.mark.parametrize("block", [("{% filter trim %}", "{% endfilter %}"), ("{% set a %}", "{% endset %}{{ a }}"),
                                   ("{% macro m() %}", "{% endmacro %}{{ m() }}")])
def test_markers_inside_other_blocks_are_refused(tmp_path, block):
    """A block whose output is not its text as it stands (filtered, captured, called) around a marker: the
    body is made whole."""
    begin, end = block
    path = _template(tmp_path, (f"{begin}chữ thường", None), (f"nữa{end}", None), ("{{ ten }}", None))
    template = prepared.PreparedTemplate(path)
    assert not isinstance(_body_part(template), prepared._PiecedPart)
    assert parts(template.render({"ten": "Lê Văn A"})) == parts(render.render(path, {"ten": "Lê Văn A"}))


@pytest.mark.parametrize("before", list("\n{_}%"))
def test_a_marker_after_what_docxtpl_joins_is_refused(batch_jobs, before):
    job = next(j for j in batch_jobs if j.template == "bao-cao-ca-nhan.docx")
    part = _body_part(prepared.PreparedTemplate(builtin_templates_dir() / job.template))
    rendered = part.template.render(job.context)
    assert part.pieces.body(rendered, prepared._after_jinja) is not None
    mark = part.pieces.mark
    texts = rendered.split(mark)
    texts[3] += before
    assert part.pieces.body(mark.join(texts), prepared._after_jinja) is None


def test_a_piece_that_is_not_well_formed_is_refused(batch_jobs):
    job = next(j for j in batch_jobs if j.template == "bao-cao-ca-nhan.docx")
    part = _body_part(prepared.PreparedTemplate(builtin_templates_dir() / job.template))
    rendered = part.template.render(job.context)
    mark = part.pieces.mark
    texts = rendered.split(mark)
    i = next(i for i in range(2, len(texts) - 2) if "</w:p>" in texts[i])
    texts[i] = texts[i].replace("</w:p>", "", 1)
    assert part.pieces.body(mark.join(texts), prepared._after_jinja) is None
    texts = rendered.split(mark)
    texts[-2] = texts[-2].replace('w:left="1984"', 'w:left="2000"')     # not the template's last section
    assert part.pieces.body(mark.join(texts), prepared._after_jinja) is None


def test_pieces_are_forgotten_past_their_budget(batch_jobs, monkeypatch):
    monkeypatch.setattr(pieces, "_KEPT_BYTES", 3000)
    path = builtin_templates_dir() / "bao-cao-ca-nhan.docx"
    template = prepared.PreparedTemplate(path)
    jobs = [j for j in batch_jobs if j.template == path.name][:12]
    for job in jobs + jobs:
        assert parts(template.render(job.context)) == parts(render.render(path, job.context)), job.output
        assert _body_part(template).pieces._kept <= 3000


def test_a_body_without_tags_is_made_once_without_markers(tmp_path):
    """Nothing in it differs between documents: it is not cut, and no marker reaches the document."""
    path = _template(tmp_path, ("Không có thẻ nào.", None), ("Dòng hai.", "Duong ke trich yeu"))
    template = prepared.PreparedTemplate(path)
    assert not isinstance(_body_part(template), prepared._PiecedPart)
    document = parts(template.render({}))
    assert b"docgen-piece" not in document[_DOC]
    assert document == parts(render.render(path, {}))
