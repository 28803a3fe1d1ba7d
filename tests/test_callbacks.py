"""The sweep callback's pieces that a sweep on a pipe does not show: the job count and bar."""

from __future__ import annotations

import io
from pathlib import Path

from sim.cli.callbacks import JobProgress, count_jobs


def test_the_job_count_is_the_product_of_the_swept_lists() -> None:
    assert count_jobs(["a=1,2", "b=x,y,z", "c=3", "run.seed=range(0,4)"]) == 24
    assert count_jobs(["c=3"]) == 1


def test_the_progress_bar_counts_the_jobs_that_finished(tmp_path: Path) -> None:
    stream = io.StringIO()
    progress = JobProgress(tmp_path, total=5, enabled=True, stream=stream)
    for job in range(3):
        (tmp_path / str(job)).mkdir()
        (tmp_path / str(job) / "job.json").write_text("{}")
        (tmp_path / str(job) / "complete").write_text("")
    (tmp_path / "3").mkdir()
    (tmp_path / "3" / "job.json").write_text("{}")  # its record, but not yet its marker
    (tmp_path / "cache").mkdir()  # not a job: no record
    progress.close()
    assert progress.bar.n == 3
    assert "3/5" in stream.getvalue()
