"""Edge cases of the fast paths (found reviewing the speed work): bodies in pieces that must be docxtpl's
document, a damaged cache that heals, batch limits per document and a killed worker that is a crash."""
from __future__ import annotations

import functools
import os
import pickle
import signal
import subprocess
import sys
import time

import pytest
from lxml import etree

from docgen import assemble, batch, prepared, render
from docgen.build import builtin_templates_dir
from docgen.errors import TemplateError
from docgen.limits import Limits
from docgen.write import StagedOutput
from test_pieces import _template
from test_prepared import ROOT, _template_with, parts


def test_a_rule_piece_laid_out_after_another_piece_is_not_reused_as_the_first(tmp_path):
    """pieces.Pieces._make lays out the missed pieces side by side: a top-level rule in the second one looks
    back into the first.  That body is made whole (top rule after a marker), but the piece is remembered with
    that layout and reused when the same bytes are the first piece of a later document."""
    path = _template(tmp_path, ("{%p for x in xs %}", None), ("{{ x }}", None), ("", "Duong ke trich yeu"),
                     ("{%p endfor %}", None), ("Kết thúc.", None))
    template = prepared.PreparedTemplate(path)
    template.render({"xs": ["MỘT TIÊU ĐỀ DÀI HƠN NHIỀU", ""]})
    context = {"xs": [""]}
    assert parts(template.render(context)) == parts(render.render(path, context))


def test_pieces_remembered_from_an_unbalanced_body_never_make_a_malformed_one(tmp_path):
    """An inline {% if %} closed by a {%p endif %} paragraph (and the reverse later): with both skipped the body
    is well formed, its pieces are not (a marker inside w:t) and are remembered; a later document reuses the
    first without the second, and the malformed body goes out (the whole-body path says it is malformed)."""
    path = _template(tmp_path, ("X{% if a %}", None), ("{%p endif %}", None), ("{{ y }}", None),
                     ("{%p if b %}", None), ("{% endif %}Z", None))
    template = prepared.PreparedTemplate(path)
    template.render({"a": False, "b": False, "y": "Y"})
    with pytest.raises(TemplateError, match="XML sai cấu trúc"):
        etree.fromstring(parts(template.render({"a": False, "b": True, "y": "Y"}))["word/document.xml"])


def test_a_marker_spelled_by_unescaped_data_is_kept(tmp_path):
    path = _template(tmp_path, ("Đầu", None), ("{{ x|safe }}", None), ("Cuối", None))
    context = {"x": "a<?docgen-piece?>b"}
    assert parts(prepared.PreparedTemplate(path).render(context)) == parts(render.render(path, context))


def test_a_damaged_clean_up_in_the_cache_only_means_making_it_again(tmp_path):
    code = ("from docgen import prepared; from docgen.build import builtin_templates_dir; "
            "prepared.PreparedTemplate(builtin_templates_dir() / 'bao-cao-ca-nhan.docx')")
    env = dict(os.environ, DOCGEN_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    for f in (tmp_path / "cache" / "jinja").glob("*.xml"):      # a disk error, a crash before write-back…
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-300:]


def test_documents_each_within_the_time_limit_pass_when_sent_eight_to_a_call(tmp_path):
    """The limit is per document; a call of eight documents gets the limit of one."""
    path = _template_with(tmp_path, "{% for i in range(n) %}{% for j in range(n) %}{% endfor %}{% endfor %}")

    def context(i):                                     # about 0.6 s each from document 4 on
        return functools.partial(dict, n=2 if i < 4 else 4500)

    specs = [assemble.JobSpec("x", path.name, f"{i}.docx", "Thử", False, context(i)) for i in range(12)]
    outputs = [spec.output for spec in specs]
    with StagedOutput(tmp_path / "out", outputs) as out:
        batch.render_batch(specs, [path] * len(specs), outputs, out, jobs=1, limits=Limits(seconds=2))
        out.commit()


def test_a_worker_killed_with_answers_waiting_is_a_crash_not_a_restart(tmp_path, monkeypatch):
    """A worker killed from outside (the kernel's OOM killer) after answering calls the parent has not read
    yet: the parent reads one, sends the next call, and Worker.submit starts a new process — the answers
    still in the old pipe are lost, the new one's are taken for the old calls, and the build waits out the
    time limit and blames the wrong document for a time limit."""
    path = _template_with(tmp_path, "{{ i }}")
    specs = [assemble.JobSpec("x", path.name, f"{i}.docx", "Thử", False, functools.partial(dict, i=i))
             for i in range(200)]                    # a plan that pickles: workers spawned or forked
    outputs = [spec.output for spec in specs]
    killed, calls = [], []
    answer = batch._Dispatch.answer

    def answer_after_a_kill(self, w):
        calls.append(w)
        if not killed and len(calls) > 5 and self.next < self.total - 20 and len(self.sent[w]) >= 3:
            time.sleep(0.05)                                     # answers wait in the pipe
            os.kill(self.workers[w]._proc.pid, signal.SIGKILL)
            time.sleep(0.05)
            killed.append(w)
        answer(self, w)

    monkeypatch.setattr(batch._Dispatch, "answer", answer_after_a_kill)
    began = time.monotonic()
    with pytest.raises(TemplateError, match="dừng đột ngột"):
        with StagedOutput(tmp_path / "out", outputs) as out:
            batch.render_batch(specs, [path] * len(specs), outputs, out, jobs=1, limits=Limits(seconds=5))
    assert killed and time.monotonic() - began < 5


def test_large_sheets_read_by_a_worker_give_the_campaign_read_alone(tmp_path):
    """The large sheets after the first are read by a worker while the reader reads the rest: the same
    campaign (records, problems, their order) as one process reading everything; rows whose part changed
    since (another CRC) are read again."""
    from docgen import reader

    sys.path.insert(0, str(ROOT / "bench"))
    from workbooks import make_workbook

    wb = make_workbook(tmp_path / "lon.xlsx", 300)
    alone = reader.load_campaign(wb)
    asked = []
    with batch.Workers(2) as pool:
        def helper(path, parts):
            asked.append(parts)
            return pool.read_ahead(path, parts)

        helped = reader.load_campaign(wb, helper=helper)
    assert asked and len(asked[0]) >= 1
    assert pickle.dumps(helped) == pickle.dumps(alone)

    class Stale:                                   # rows of another version of the part
        def get(self, part):
            return ([(1, ["x"], [None])], [], 0)

    assert pickle.dumps(reader.load_campaign(wb, helper=lambda path, parts: Stale())) == pickle.dumps(alone)
