"""The fast path (docgen.prepared) makes the document plain docxtpl makes (docgen.render.render): same parts,
same XML in every part, for every built-in template, with the data of the fixtures and hostile data; and a
parallel build writes exactly the files of a serial one."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings, strategies as st

from docgen import assemble, batch, prepared, reader, render
from docgen.build import build, builtin_templates_dir
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


def test_a_long_document_does_not_hold_the_other_worker_back(tmp_path):
    """Each worker gets its next document when it answers: while one renders a long document, the other
    renders the rest (each document says which process made it)."""
    import os

    (tmp_path / "slow").mkdir()
    slow = _template_with(tmp_path / "slow", "{% for i in range(3000) %}{% for j in range(1000) %}{% endfor %}"
                                            "{% endfor %}{{ pid }}")
    fast = _template_with(tmp_path, "{{ pid }}")
    specs = [assemble.JobSpec("x", p.name, f"{i}.docx", "Thử", False, lambda: {"pid": os.getpid()})
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
