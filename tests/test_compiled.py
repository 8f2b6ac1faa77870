"""Compiled templates kept between runs (docgen.compiled): the code read back renders what compiling again
renders, for each environment its own; an unreadable or unwritable cache only means compiling again."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docgen import compiled, prepared, render
from docgen.build import builtin_templates_dir
from test_prepared import ROOT, jobs_of, parts


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder, and no template remembered in memory (as in a new process)."""
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))
    for env in (render._XML_ENV, render._TEXT_ENV):
        monkeypatch.setattr(env, "_compiled", {})
    monkeypatch.setattr(render, "_PATCHED", {})
    return tmp_path / "cache" / "jinja"


def _forget(monkeypatch) -> None:
    for env in (render._XML_ENV, render._TEXT_ENV):
        monkeypatch.setattr(env, "_compiled", {})
    monkeypatch.setattr(render, "_PATCHED", {})


def test_code_read_back_renders_what_compiling_renders(cache, monkeypatch):
    """A template prepared in an earlier run is read back with its code: nothing is compiled again."""
    template = builtin_templates_dir() / "bao-cao-ca-nhan.docx"
    job = next(j for j in jobs_of(ROOT / "fixtures" / "vksnd-cao-bang.xlsx") if j.template == template.name)
    monkeypatch.setattr(prepared, "_CACHE", {})
    first = prepared.prepare(template).render(job.context)
    kept = sorted(p.name for p in cache.iterdir())
    assert any(n.endswith(".jinja") for n in kept) and any(n.endswith(".xml") for n in kept)
    _forget(monkeypatch)
    monkeypatch.setattr(prepared, "_CACHE", {})
    with monkeypatch.context() as m:
        m.setattr(render._XML_ENV, "compile", lambda *a, **k: pytest.fail("compiled again"))
        m.setattr(render._TEXT_ENV, "compile", lambda *a, **k: pytest.fail("compiled again"))
        again = prepared.prepare(template).render(job.context)
    assert again == first
    assert parts(again) == parts(render.render(template, job.context))


def test_each_environment_keeps_its_own_code(cache, monkeypatch):
    source = "{{ x }} & {{ y | upper }}"
    xml, text = render._XML_ENV.from_string(source), render._TEXT_ENV.from_string(source)
    _forget(monkeypatch)
    for _ in range(2):
        assert render._XML_ENV.from_string(source).render(x="<a>", y="b") == "&lt;a&gt; & B"
        assert render._TEXT_ENV.from_string(source).render(x="<a>", y="b") == "<a> & B"
        _forget(monkeypatch)
    assert xml.render(x="<", y="") == "&lt; & " and text.render(x="<", y="") == "< & "
    assert len([p for p in cache.iterdir() if p.suffix == ".jinja"]) == 2


def test_a_damaged_cache_file_is_compiled_again(cache, monkeypatch):
    source = "Kính gửi: {{ ten }}"
    render._XML_ENV.from_string(source)
    (kept,) = [p for p in cache.iterdir() if p.suffix == ".jinja"]
    kept.write_bytes(kept.read_bytes()[:20])
    _forget(monkeypatch)
    assert render._XML_ENV.from_string(source).render(ten="Lê") == "Kính gửi: Lê"
    for p in cache.iterdir():
        p.write_bytes(b"\x00\xff garbage")
    _forget(monkeypatch)
    assert render._XML_ENV.from_string(source).render(ten="Lê") == "Kính gửi: Lê"


def test_syntax_errors_are_never_kept(cache):
    for _ in range(2):
        with pytest.raises(Exception, match="unexpected"):
            render._XML_ENV.from_string("{{ ten }")
    assert not [p for p in cache.iterdir() if p.suffix == ".jinja"]


def test_a_cache_folder_that_cannot_be_made_only_means_compiling_again(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(blocker))         # cache_dir() is under a file: mkdir fails
    _forget(monkeypatch)
    assert compiled._bytecode_cache() is None
    assert render._XML_ENV.from_string("{{ a }}+{{ b }}").render(a=1, b=2) == "1+2"


def test_a_build_with_a_warm_cache_writes_the_same_documents(tmp_path):
    """Two builds in new processes, the first filling an empty cache, the second reading it."""
    env = dict(os.environ, DOCGEN_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    for out in ("a", "b"):
        subprocess.run([sys.executable, "-m", "docgen", "build", str(ROOT / "fixtures" / "vksnd-cao-bang.xlsx"),
                        "-o", str(tmp_path / out), "-q"], check=True, env=env, cwd=tmp_path)
    assert list((tmp_path / "cache" / "jinja").iterdir())
    a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.docx"))
    assert a and a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.docx"))
    for rel in a:
        assert parts((tmp_path / "a" / rel).read_bytes()) == parts((tmp_path / "b" / rel).read_bytes()), rel


def test_the_cache_keeps_only_the_newest_files(cache, monkeypatch):
    monkeypatch.setattr(compiled, "_KEPT_FILES", 5)
    for i in range(12):
        render._XML_ENV.from_string(f"{{{{ a }}}} mẫu {i}")
    assert len(list(cache.iterdir())) <= 5
    assert render._XML_ENV.from_string("{{ a }} mẫu 11").render(a="x") == "x mẫu 11"


def test_files_another_build_removes_while_this_one_prunes_do_not_fail_it(cache, tmp_path, monkeypatch):
    """Two builds share the cache (two test processes, the web app beside a clerk's build): while one keeps
    its folder small, the other removes files it has just listed.  The template is still prepared and
    rendered; only the files that are really left are counted."""
    monkeypatch.setattr(compiled, "_KEPT_FILES", 3)
    folder = cache.parent / "prepared"
    folder.mkdir(parents=True)
    for i in range(8):
        (folder / f"cu-{i}.pickle").write_bytes(b"x")
    real_scandir = os.scandir

    class Vanishing:                              # each entry removed (by "the other build") once listed
        def __init__(self, path):
            self.inner = real_scandir(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

        def __iter__(self):
            for entry in self.inner:
                if entry.name.startswith("cu-"):
                    os.remove(entry.path)
                yield entry

    monkeypatch.setattr(os, "scandir", Vanishing)
    path = builtin_templates_dir() / "ke-hoach.docx"
    prepared._CACHE.clear()
    made = prepared.prepare(path)
    monkeypatch.setattr(os, "scandir", real_scandir)
    (job,) = [j for j in jobs_of(ROOT / "fixtures" / "xa-hoa-an.xlsx") if j.template == path.name]
    assert made.render(job.context)
    assert not list(folder.glob("cu-*")) and list(folder.glob("*.pickle"))


def test_a_prepared_template_read_back_renders_the_same_documents(cache, tmp_path):
    """Every built-in template prepared once, kept, read back in a new process (here: unpickled from the
    cache): document after document of a 40-candidate round, the same bytes as the template just prepared."""
    import pickle

    sys.path.insert(0, str(ROOT / "bench"))
    from workbooks import make_workbook

    jobs = jobs_of(make_workbook(tmp_path / "lon.xlsx", 40)) + jobs_of(ROOT / "fixtures" / "xa-hoa-an.xlsx")
    fresh, kept = {}, {}
    for path in builtin_templates_dir().glob("*.docx"):
        fresh[path.name] = prepared.PreparedTemplate(path)
        prepared._CACHE.clear()
        prepared.prepare(path)                                    # made and written to the cache
        (written,) = [p for p in (cache.parent / "prepared").iterdir() if p.name.endswith(".pickle")
                      and pickle.loads(p.read_bytes()).path.name == path.name]
        kept[path.name] = pickle.loads(written.read_bytes())
        kept[path.name].path = path
    assert set(kept) == {p.name for p in builtin_templates_dir().glob("*.docx")}
    for job in jobs:
        assert kept[job.template].render(job.context) == fresh[job.template].render(job.context), job.output


def test_a_process_that_reads_prepared_templates_back_needs_neither_python_docx_nor_docxtpl(tmp_path):
    code = ("import sys; from docgen import prepared; from docgen.build import builtin_templates_dir; "
            "[prepared.prepare(p) for p in sorted(builtin_templates_dir().glob('*.docx'))]; "
            "print('docx' in sys.modules, 'docxtpl' in sys.modules)")
    env = dict(os.environ, DOCGEN_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["True", "True"] and again.stdout.split() == ["False", "False"]


def test_a_cache_folder_others_may_write_in_is_not_used(cache, monkeypatch):
    """What is read back from the cache is run: a folder others may write in is neither read nor written."""
    cache.mkdir(parents=True)
    (cache.parent / "prepared").mkdir()
    for folder in (cache, cache.parent / "prepared"):
        folder.chmod(0o777)
    monkeypatch.setattr(prepared, "_CACHE", {})
    path = builtin_templates_dir() / "ke-hoach.docx"
    assert prepared.prepare(path).fallback is None
    assert render._XML_ENV.from_string("{{ a }}!").render(a=1) == "1!"
    assert not list(cache.iterdir()) and not list((cache.parent / "prepared").iterdir())
    for folder in (cache, cache.parent / "prepared"):
        folder.chmod(0o700)
    monkeypatch.setattr(prepared, "_CACHE", {})
    prepared.prepare(path)
    assert list(cache.iterdir()) and list((cache.parent / "prepared").iterdir())


def test_the_rules_catalogue_is_kept_and_follows_its_data(cache, tmp_path, monkeypatch):
    """The catalogue parsed from the TOML data is kept; read back it is the same; edited data (a folder in
    $DOCGEN_QUY_TAC) gives its own catalogue, never the kept one."""
    import shutil

    cat = sys.modules["docgen.rules.catalog"]
    cat._cached.cache_clear()
    first = cat.catalog()
    assert list((cache.parent / "prepared").glob("*.pickle"))
    cat._cached.cache_clear()
    with monkeypatch.context() as m:
        m.setattr(cat, "load_catalog", lambda texts: pytest.fail("parsed again"))
        assert cat.catalog() == first
    edited = tmp_path / "quy-tac"
    shutil.copytree(ROOT / "docgen" / "rules" / "data", edited)
    text = (edited / "luong_co_so.toml").read_text(encoding="utf-8")
    assert "2340000" in text.replace("_", "")
    (edited / "luong_co_so.toml").write_text(text.replace("2_340_000", "2_350_000").replace("2340000", "2350000"),
                                              encoding="utf-8")
    monkeypatch.setenv(cat.OVERRIDE_ENV, str(edited))
    cat._cached.cache_clear()
    try:
        changed = cat.catalog()
        assert changed != first
    finally:
        monkeypatch.delenv(cat.OVERRIDE_ENV)
        cat._cached.cache_clear()
