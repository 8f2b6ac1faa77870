"""The progress protocol of :func:`docgen.build.build` (what the web app's progress bar shows)."""
from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from docgen.build import build, demo_workbook
from docgen.progress import PDF, RENDER, WRITE, ProgressEvent


def test_one_event_per_rendered_document_and_per_written_file(tmp_path):
    events: list[ProgressEvent] = []
    result = build(demo_workbook(), tmp_path / "ra", progress=events.append)
    rendered = [e for e in events if e.stage == RENDER]
    written = [e for e in events if e.stage == WRITE]
    assert len(rendered) == len(result.docx_files) == 14
    assert [e.done for e in rendered] == list(range(1, 15)) and {e.total for e in rendered} == {14}
    assert rendered[0].label == "Kế hoạch" and rendered[-1].label.startswith("Báo cáo thành tích")
    assert [e.label for e in written] == [f.relative_to(result.outdir).as_posix() for f in result.files]
    assert [e.done for e in written] == list(range(1, len(result.files) + 1))
    # documents are rendered and staged one at a time: each file's "write" follows its own "render"; nothing
    # reaches the output folder before the whole set is committed (the staging folder, docgen.write)
    for r, w in zip(rendered, written):
        assert events.index(r) < events.index(w)
    assert not [e for e in events if e.stage == PDF]


def test_a_failing_listener_stops_the_build_before_anything_is_written(tmp_path):
    def listener(event: ProgressEvent) -> None:
        if event.stage == RENDER and event.done == 3:
            raise RuntimeError("dừng")

    with pytest.raises(RuntimeError):
        build(demo_workbook(), tmp_path / "ra", progress=listener)
    assert not (tmp_path / "ra").exists()


def test_events_are_frozen():
    event = ProgressEvent(RENDER, 1, 2, "Kế hoạch")
    with pytest.raises(FrozenInstanceError):
        event.done = 2  # type: ignore[misc]
