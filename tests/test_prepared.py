"""The fast path (docgen.prepared) makes the document plain docxtpl makes (docgen.render.render): same parts,
same XML in every part, for every built-in template, with the data of the fixtures and hostile data; and a
parallel build writes exactly the files of a serial one."""
from __future__ import annotations

import functools
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings, strategies as st

from docgen import assemble, batch, prepared, reader, render
from docgen.build import build, builtin_templates_dir, demo_workbook
from docgen.errors import TemplateError
from docgen.limits import Limits
from docgen.validation import check
from docgen.write import StagedOutput
from test_documents_awkward import awkward_workbook
from test_hostile import nasty_text

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 6, 22)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


def assert_same_document(template: Path, context: dict) -> None:
    plain, fast = parts(render.render(template, context)), parts(prepared.prepare(template).render(context))
    assert list(fast) == list(plain)                  # same parts, same order
    for name in plain:
        assert fast[name] == plain[name], f"{template.name}: {name} differs"


def jobs_of(workbook: Path):
    campaign = reader.load_campaign(workbook)
    report, evaluation, docs = check(campaign, None, today=TODAY)
    return assemble.plan_documents(campaign, evaluation, today=TODAY)


@pytest.fixture(scope="module")
def fixture_jobs(tmp_path_factory):
    found = []
    for wb in [*sorted((ROOT / "fixtures").glob("*.xlsx")),
               awkward_workbook(tmp_path_factory.mktemp("awkward") / "awkward.xlsx")]:
        found += jobs_of(wb)
    return found


def test_every_builtin_template_is_covered(fixture_jobs):
    used = {job.template for job in fixture_jobs}
    assert used == {p.name for p in builtin_templates_dir().glob("*.docx")}


def test_fast_path_equals_docxtpl_on_the_fixtures(fixture_jobs):
    seen: dict[str, int] = {}
    for job in fixture_jobs:
        if seen.get(job.template, 0) >= 4:              # a few documents of each template suffice
            continue
        seen[job.template] = seen.get(job.template, 0) + 1
        template = builtin_templates_dir() / job.template
        assert prepared.prepare(template).fallback is None
        assert_same_document(template, job.context)


def _poison(value, text: str):
    """Every string of a context replaced by hostile text (lists keep their length, keys stay)."""
    if isinstance(value, str):
        return text + value[:3]
    if isinstance(value, dict):
        return {k: _poison(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, text) for v in value]
    return value


@settings(max_examples=8, deadline=None)
@given(text=nasty_text)
def test_fast_path_equals_docxtpl_with_hostile_data(fixture_jobs, text):
    firsts = {}
    for job in fixture_jobs:
        firsts.setdefault(job.template, job)
    for name, job in firsts.items():
        assert_same_document(builtin_templates_dir() / name, _poison(job.context, text))


def test_documents_are_reproducible(fixture_jobs):
    job = fixture_jobs[0]
    template = prepared.prepare(builtin_templates_dir() / job.template)
    assert template.render(job.context) == template.render(job.context)


def _template_with(tmp_path: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph(text)
    path = tmp_path / "mau.docx"
    doc.save(path)
    return path


def test_broken_tag_names_the_template_like_docxtpl(tmp_path):
    path = _template_with(tmp_path, "Kính gửi: {{ khong_co }}")
    with pytest.raises(TemplateError) as plain:
        render.render(path, {})
    with pytest.raises(TemplateError) as fast:
        prepared.prepare(path).render({})
    assert str(fast.value) == str(plain.value)
    assert "mau.docx" in str(fast.value) and "khong_co" in str(fast.value)


def test_data_is_never_template_code_on_the_fast_path(tmp_path):
    path = _template_with(tmp_path, "Họ tên: {{ ten }}")
    out = prepared.prepare(path).render({"ten": "{{ 6*7 }} {_{ x }_} <b>&"})
    text = "\n".join(p.text for p in Document(io.BytesIO(out)).paragraphs)
    assert "Họ tên: {{ 6*7 }} {_{ x }_} <b>&" in text and "42" not in text


def test_a_render_over_its_time_limit_names_the_template(tmp_path):
    path = _template_with(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                                    "{% endfor %}")
    spec = assemble.JobSpec("x", path.name, "x.docx", "Thử", False, dict)
    with pytest.raises(TemplateError, match=r'Mẫu "mau.docx": hiển thị quá 1 giây.*khi tạo "x.docx"'):
        with StagedOutput(tmp_path / "out", ["x.docx"]) as out:
            batch.render_batch([spec], [path], ["x.docx"], out, limits=Limits(seconds=1))


def test_a_render_over_its_memory_limit_names_the_template(tmp_path):
    path = _template_with(tmp_path, "{{ 'A' * 10**9 }}")
    spec = assemble.JobSpec("x", path.name, "x.docx", "Thử", False, dict)
    with pytest.raises(TemplateError, match=r'Mẫu "mau.docx": cần quá 256 MB bộ nhớ'):
        with StagedOutput(tmp_path / "out", ["x.docx", "y.docx"]) as out:
            batch.render_batch([spec, spec], [path, path], ["x.docx", "y.docx"], out, jobs=2,
                               limits=Limits(memory_mb=256))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind, limits, message", [
    ("time", Limits(seconds=1), r'hiển thị quá 1 giây'),
    ("memory", Limits(memory_mb=256), r'cần quá 256 MB bộ nhớ')])
def test_a_limit_exceeded_inside_a_call_of_several_documents_names_that_document(tmp_path, kind, limits,
                                                                                 message):
    """Documents of a quick template go to the worker several to a call (one worker: the calls are [0], [1],
    [2], [3], then eight at a time from 4, so document 57 is the sixth of its call); the one that exceeds a
    limit is named, not the first of its call."""
    slow = ("{% for i in range(n) %}{% for j in range(n) %}{% endfor %}{% endfor %}" if kind == "time"
            else "{{ 'A' * (n * n) }}")
    path = _template_with(tmp_path, slow + "{{ i }}")
    culprit = 57

    def context(i):                              # a plan that pickles: workers spawned or forked
        return functools.partial(dict, n=(10 ** 5 if i == culprit else 2), i=i)

    specs = [assemble.JobSpec("x", path.name, f"{i}.docx", "Thử", False, context(i)) for i in range(70)]
    outputs = [spec.output for spec in specs]
    with pytest.raises(TemplateError, match=message + f'.*khi tạo "{culprit}.docx"'):
        with StagedOutput(tmp_path / "out", outputs) as out:
            batch.render_batch(specs, [path] * len(specs), outputs, out, jobs=1, limits=limits)
    assert not (tmp_path / "out").exists()


def _made_by() -> dict:
    import os

    return {"pid": os.getpid()}


def test_a_long_document_does_not_hold_the_other_worker_back(tmp_path):
    """Each worker gets its next document when it answers: while one renders a long document, the other
    renders the rest (each document says which process made it)."""
    import os

    (tmp_path / "slow").mkdir()
    slow = _template_with(tmp_path / "slow", "{% for i in range(3000) %}{% for j in range(1000) %}{% endfor %}"
                                            "{% endfor %}{{ pid }}")
    fast = _template_with(tmp_path, "{{ pid }}")
    specs = [assemble.JobSpec("x", p.name, f"{i}.docx", "Thử", False, _made_by)
             for i, p in enumerate([slow] + [fast] * 30)]
    outputs = [spec.output for spec in specs]
    with StagedOutput(tmp_path / "out", outputs) as out:
        batch.render_batch(specs, [slow] + [fast] * 30, outputs, out, jobs=2)
        out.commit()
    made_by = [Document(str(tmp_path / "out" / name)).paragraphs[0].text for name in outputs]
    assert len(set(made_by)) == 2
    others = [pid for pid in made_by if pid != made_by[0]]
    assert len(others) > 2 * (len(made_by) - len(others))        # the other worker did most of the batch


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_parallel_build_writes_the_files_of_a_serial_build(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from workbooks import make_workbook

    wb = make_workbook(tmp_path / "lon.xlsx", 60)
    serial = build(wb, tmp_path / "serial", today=TODAY, jobs=1)
    parallel = build(wb, tmp_path / "parallel", today=TODAY, jobs=2)
    assert "2 tiến trình" in " ".join(parallel.notes) and "1 tiến trình" in " ".join(serial.notes)
    a, b = _files(tmp_path / "serial"), _files(tmp_path / "parallel")
    assert list(a) == list(b) and len([n for n in a if n.endswith(".docx")]) == 63
    for name in a:
        if name.endswith(".docx") or name.endswith(".txt"):
            assert a[name] == b[name], name                    # byte for byte
        else:                                                  # danh-sach.xlsx: the sheet, not the zip dates
            assert parts(a[name])["xl/worksheets/sheet1.xml"] == parts(b[name])["xl/worksheets/sheet1.xml"]


def test_a_broken_template_in_a_parallel_build_writes_nothing(tmp_path):
    import shutil
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from workbooks import make_workbook

    wb = make_workbook(tmp_path / "lon.xlsx", 45)
    mau = tmp_path / "mau"
    mau.mkdir()
    for p in builtin_templates_dir().glob("*.docx"):
        shutil.copy(p, mau / p.name)
    _template_with(tmp_path, "{{ doi_tuong.khong_co_truong_nay }}").replace(mau / "bao-cao-ca-nhan.docx")
    with pytest.raises(TemplateError, match="bao-cao-ca-nhan.docx"):
        build(wb, tmp_path / "out", today=TODAY, jobs=2, templates_dir=mau)
    assert not [p for p in (tmp_path / "out").rglob("*")] if (tmp_path / "out").exists() else True


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    from docgen.progress import RENDER, ProgressEvent
    from docgen.progress_bar import TerminalProgress

    for stream, shown in ((io.StringIO(), False), (_Terminal(), True)):
        with TerminalProgress(stream=stream) as bar:
            for done in range(1, 31):
                bar.update(ProgressEvent(RENDER, done, 30, f"văn bản {done}"))
        assert ("Tạo văn bản" in stream.getvalue()) is shown
    quiet = _Terminal()
    with TerminalProgress(enabled=False, stream=quiet) as bar:
        bar.update(ProgressEvent(RENDER, 1, 30, ""))
    assert quiet.getvalue() == ""


def test_workers_started_before_the_read_end_with_the_build(tmp_path):
    """The render processes start while the workbook is read; a workbook with blocking errors stops them
    (none is left running), and a batch that needs fewer than were started stops the others."""
    import multiprocessing

    from docgen.errors import ValidationFailed
    from docgen.limits import Limits

    bad = tmp_path / "hong.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Thông tin"
    wb.save(bad)
    with pytest.raises(ValidationFailed):
        build(bad, tmp_path / "out", today=TODAY, jobs=2)
    assert multiprocessing.active_children() == [] and not (tmp_path / "out").exists()
    pool = batch.Workers(2, Limits())
    try:
        taken = pool.take(1, {"templates": [], "output_mb": 1, "campaign": None, "evaluation": None,
                              "only": set(), "today": TODAY})
        assert len(taken) == 1 and taken[0].connection is not None
        assert sum(w.connection is not None for w in pool.workers) == 1     # the other one is stopped
    finally:
        pool.close()
    assert multiprocessing.active_children() == []


# ------------------------------------------------------------------------------------------------------------
# What the fast path keeps between documents (styles lookups, the document element written once, the widths
# of texts) never decides another document's layout
# ------------------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _layout_of(data: bytes) -> tuple[list, list]:
    """(the w:ind of every paragraph, the grid of every table) of a .docx's body."""
    from lxml import etree

    root = etree.fromstring(parts(data)["word/document.xml"])
    inds = [dict(i.attrib) for i in root.iter(_W + "ind")]
    grids = [[c.get(_W + "w") for c in g.iter(_W + "gridCol")] for g in root.iter(_W + "tblGrid")]
    return inds, grids


def _first_job(fixture_jobs, template: str):
    return next(job for job in fixture_jobs if job.template == template)


@pytest.mark.parametrize("name", ["bao-cao-ca-nhan.docx", "to-trinh.docx"])
def test_documents_of_one_template_get_the_layout_of_their_own_text(fixture_jobs, name):
    """One prepared template, documents whose layout-deciding text differs (the agency above the rule, the
    cells of the list tables): each gets the rules and columns plain docxtpl gives it, whatever came before."""
    template = prepared.prepare(builtin_templates_dir() / name)
    context = _first_job(fixture_jobs, name).context
    short = _poison(context, "Ủy")
    wide = _poison(context, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM VÀ CÁC SỞ, BAN, NGÀNH ")
    outputs = {}
    for key, ctx in (("short", short), ("wide", wide), ("short again", short), ("wide again", wide)):
        outputs[key] = template.render(ctx)
        assert parts(outputs[key]) == parts(render.render(builtin_templates_dir() / name, ctx)), key
    assert outputs["short"] == outputs["short again"] and outputs["wide"] == outputs["wide again"]
    (short_inds, short_grids), (wide_inds, wide_grids) = _layout_of(outputs["short"]), _layout_of(outputs["wide"])
    assert short_inds != wide_inds                   # the rules follow the text above them
    if name == "to-trinh.docx":                      # and the danh sách's columns its cells
        assert short_grids[-1] != wide_grids[-1]


def _variant(tmp_path: Path, source: Path, name: str, **replace: tuple[str, str]) -> Path:
    """A copy of a template with text replaced in some parts (part name with "/" as "__")."""
    out = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            old_new = replace.get(info.filename.replace("/", "__").replace(".", "_"))
            if old_new is not None:
                assert old_new[0].encode() in data, (info.filename, old_new[0])
                data = data.replace(old_new[0].encode(), old_new[1].encode())
            zout.writestr(info, data)
    return out


def test_layout_lookups_never_leak_between_templates(tmp_path, fixture_jobs):
    """Templates alike but for their styles (every font larger) or their page (wider margins), rendered in
    turn in one process with the same data: each gets its own layout, the one plain docxtpl gives it."""
    name = "bao-cao-ca-nhan.docx"
    source = builtin_templates_dir() / name
    larger = _variant(tmp_path, source, "larger.docx", word__styles_xml=('<w:sz w:val="2', '<w:sz w:val="3'))
    margins = _variant(tmp_path, source, "margins.docx", word__document_xml=('w:left="1984"', 'w:left="2834"'))
    context = _first_job(fixture_jobs, name).context
    seen = {}
    for _ in range(2):
        for path in (source, larger, margins):
            fast = prepared.prepare(path).render(context)
            assert parts(fast) == parts(render.render(path, context)), path.name
            seen.setdefault(path.name, _layout_of(fast))
    assert len({repr(layout) for layout in seen.values()}) == 3


def test_section_widths_are_keyed_by_the_page_they_come_from():
    from lxml import etree

    from docgen import layout

    def body(left: int) -> etree._Element:
        return etree.fromstring(f'<w:body xmlns:w="{_W[1:-1]}"><w:p/><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                                f'<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="{left}"/>'
                                '</w:sectPr></w:body>')

    styles = layout.Styles(Document().styles.element)
    assert [styles.text_width_of(body(x)) for x in (1701, 2268, 1701)] == [9071, 8504, 9071]
    with pytest.raises(IndexError):                 # no section at all: python-docx's error, as docxtpl's path
        styles.text_width_of(etree.fromstring(f'<w:body xmlns:w="{_W[1:-1]}"><w:p/></w:body>'))


def test_the_body_is_spliced_into_the_document_only_when_that_writes_the_same_bytes(tmp_path):
    """The built-in templates' bodies are written alone and spliced into the document element written once;
    a body that declares the main namespace under a second prefix (python-docx would rewrite it when moving
    the body in) is moved into the document as python-docx does.  Both give docxtpl's bytes."""
    for path in builtin_templates_dir().glob("*.docx"):
        assert prepared.prepare(path)._document.splice is not None, path.name
    plain = _template_with(tmp_path, "Họ tên: {{ ten }}")
    odd = _variant(tmp_path, plain, "odd.docx", word__document_xml=(
        "<w:body>", f'<w:body xmlns:w2="{_W[1:-1]}"><w2:p><w2:r><w2:t>{{{{ ten }}}}</w2:t></w2:r></w2:p>'))
    assert prepared.prepare(odd)._document.splice is None
    for path in (plain, odd):
        context = {"ten": "Lê Văn A"}
        assert parts(prepared.prepare(path).render(context)) == parts(render.render(path, context))


def test_a_document_of_two_bodies_is_rendered_by_docxtpl(tmp_path):
    plain = _template_with(tmp_path, "Họ tên: {{ ten }}")
    twice = _variant(tmp_path, plain, "twice.docx", word__document_xml=(
        "</w:body>", "</w:body><w:body><w:p><w:r><w:t>{{ ten }}</w:t></w:r></w:p></w:body>"))
    template = prepared.prepare(twice)
    assert template.fallback and "w:body" in template.fallback
    assert parts(template.render({"ten": "Lê Văn A"})) == parts(render.render(twice, {"ten": "Lê Văn A"}))


def test_text_widths_are_remembered_per_style():
    from docgen import layout

    styles = layout.Styles(Document().styles.element)
    size, bold = styles.font("Heading1")
    assert (size, bold) != styles.font("Normal")
    for _ in range(2):
        assert styles.needs("Heading1", "Không đạt") == (layout.text_width("Không", size, bold=bold),
                                                         layout.text_width("Không đạt", size, bold=bold))
        assert styles.needs("Heading1", "Không đạt") != styles.needs("Normal", "Không đạt")


_PART = st.sampled_from(["tblPr", "tblPr-borders", "tblPr-borders-top", "tblPr-borders-top-nil",
                         "tblPr-borders-top-none", "tr", "tr-header", "tr-trPr", "tbl"])


def _table(kinds: list[str], depth: int = 0) -> str:
    """A w:tbl of the given children (a table's properties with or without borders and a top border, rows
    with or without a repeated header, nested tables)."""
    xml = []
    for kind in kinds:
        if kind.startswith("tblPr"):
            top = {"tblPr-borders-top": "<w:top/>", "tblPr-borders-top-nil": '<w:top w:val="nil"/>',
                   "tblPr-borders-top-none": '<w:top w:val="none"/>'}.get(kind, "")
            xml.append(f"<w:tblPr>{'<w:tblBorders>' + top + '</w:tblBorders>' if 'borders' in kind else ''}"
                       "</w:tblPr>")
        elif kind == "tbl":
            xml.append(f"<w:tr><w:tc>{_table(['tblPr-borders-top', 'tr-header'] if depth else kinds[:3], 1)}"
                       "<w:p/></w:tc></w:tr>")
        else:
            header = {"tr-header": "<w:trPr><w:tblHeader/></w:trPr>", "tr-trPr": "<w:trPr/>"}.get(kind, "")
            xml.append(f"<w:tr>{header}<w:tc><w:p/></w:tc></w:tr>")
    return "<w:tbl>" + "".join(xml) + "</w:tbl>"


@settings(max_examples=200, deadline=None)
@given(tables=st.lists(st.lists(_PART, max_size=5), max_size=4))
def test_list_tables_are_found_as_defined(tables):
    """The list tables libxml2 selects (layout._LIST_TABLES) are the tables layout._is_list_table accepts."""
    from lxml import etree

    from docgen import layout

    body = etree.fromstring(f'<w:body xmlns:w="{_W[1:-1]}">' + "".join(_table(t) for t in tables) + "</w:body>")
    assert layout._LIST_TABLES(body) == [t for t in body.iter(_W + "tbl") if layout._is_list_table(t)]


def test_a_process_with_threads_starts_its_workers_when_the_batch_is_known(tmp_path):
    """Beside other threads (the web server) workers are spawned interpreters: none is started before the
    workbook is read, and a small round gets one; the documents are the same as a forked build's."""
    import threading

    from docgen import limits

    build(demo_workbook(), tmp_path / "fork", today=TODAY)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    started = []
    original = batch.Workers.__init__

    def spy(self, *args, **kwargs):
        started.append(args)
        original(self, *args, **kwargs)

    try:
        assert limits.start_method() == "spawn" and not batch.can_fork()
        batch.Workers.__init__ = spy
        spawned = build(demo_workbook(), tmp_path / "spawn", today=TODAY)
    finally:
        batch.Workers.__init__ = original
        stop.set()
        other.join()
    assert started == [] and "1 tiến trình" in " ".join(spawned.notes)
    assert _files(tmp_path / "fork") == _files(tmp_path / "spawn")


def test_core_properties_rendered_together_are_docxtpls(tmp_path):
    """The tagged document properties of a template are rendered as one template (separated by a character no
    value can hold): the same properties as docxtpl's one render each — long values cut at 255 characters,
    hostile text, a property without tags — and the same error for an unknown variable."""
    doc = Document()
    doc.add_paragraph("{{ ten }}")
    doc.core_properties.title = "Báo cáo – {{ ten }}"
    doc.core_properties.subject = "{{ dai }}"
    doc.core_properties.author = "{{ ten | upper }}{{ ky_tu }}"
    doc.core_properties.comments = "Không có thẻ"
    path = tmp_path / "thuoc-tinh.docx"
    doc.save(path)
    template = prepared.PreparedTemplate(path)
    assert template._core.together is not None
    for context in ({"ten": "Lê Văn A", "dai": "x" * 400, "ky_tu": "\x01\x02<&>"},
                    {"ten": "{{ 6*7 }} \x01", "dai": "", "ky_tu": None}):
        assert parts(template.render(context)) == parts(render.render(path, context))
    with pytest.raises(TemplateError) as fast:
        template.render({"ten": "A", "ky_tu": ""})
    with pytest.raises(TemplateError) as plain:
        render.render(path, {"ten": "A", "ky_tu": ""})
    assert str(fast.value) == str(plain.value) and "dai" in str(fast.value)


def test_small_rendered_parts_are_stored_and_every_archive_reads_back_whole(tmp_path):
    """The core properties (about 1 KB) are stored, the body deflated; every entry's CRC checks out and the
    properties read as python-docx wrote them."""
    import zipfile

    built = build(ROOT / "fixtures" / "xa-hoa-an.xlsx", tmp_path / "out", today=TODAY)
    docs = [p for p in built.files if p.suffix == ".docx"]
    assert docs
    for path in docs:
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None, path
            methods = {i.filename: i.compress_type for i in zf.infolist()}
            assert methods["docProps/core.xml"] == zipfile.ZIP_STORED, path
            assert methods["word/document.xml"] == zipfile.ZIP_DEFLATED, path
        assert Document(str(path)).core_properties.language == "vi-VN"
