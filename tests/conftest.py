"""Shared fixtures, and the subprocess jobs that run beside the suite.

Some tests need a process of their own (another Keras backend, a fresh
TensorFlow with two logical devices, every example script). Those processes
are "jobs": ``tests/<script>`` run with ``KERAS_BACKEND=backend``, printing one
JSON line. A test module lists the fixtures that return a job's result in a
module-level ``JOBS = {fixture_name: (script, backend)}``. Once pytest has
collected, the jobs of the selected tests start in a background thread, one
after the other, while the suite runs in this process (the suite alone keeps
one core of two busy); ``run_job`` then only waits for a job's result, or runs
the job at once if it has not started yet.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading

import pytest

TESTS = os.path.dirname(__file__)


class _Job:
    def __init__(self, script, backend):
        self.script, self.backend = script, backend
        self.lock = threading.Lock()  # held while it runs: one run only
        self.proc = None
        self.out = tempfile.TemporaryFile(mode="w+")
        self.err = tempfile.TemporaryFile(mode="w+")

    def run(self, timeout):
        with self.lock:
            if self.proc is None:
                env = {**os.environ, "KERAS_BACKEND": self.backend}
                self.proc = subprocess.Popen(
                    [sys.executable, os.path.join(TESTS, self.script)],
                    stdout=self.out,
                    stderr=self.err,
                    text=True,
                    env=env,
                )
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.result()

    def result(self):
        self.out.seek(0)
        self.err.seek(0)
        stdout, stderr = self.out.read(), self.err.read()
        assert self.proc.returncode == 0, (
            f"{self.script} ({self.backend}) exited {self.proc.returncode}: "
            f"{stderr[-3000:]}"
        )
        return json.loads(stdout.strip().splitlines()[-1])


_JOBS: dict = {}  # (script, backend) -> _Job, one per session


def _job(script, backend):
    return _JOBS.setdefault((script, backend), _Job(script, backend))


def _needed(items) -> list:
    needed = []
    for item in items:
        jobs = getattr(getattr(item, "module", None), "JOBS", {})
        for fixture, (script, backend) in jobs.items():
            job = _job(script, backend)
            if fixture in getattr(item, "fixturenames", ()) and job not in needed:
                needed.append(job)
    return needed


def _run_all(jobs):
    for job in jobs:
        try:
            job.run(timeout=1800)
        except AssertionError:
            pass  # reported by the test that asks for the result


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    jobs = _needed(session.items)
    if jobs:
        threading.Thread(target=_run_all, args=(jobs,), daemon=True).start()


def pytest_sessionfinish(session):
    for job in _JOBS.values():
        if job.proc is not None and job.proc.poll() is None:
            job.proc.kill()


@pytest.fixture(scope="session")
def run_job():
    """``run_job(script, backend)``: the JSON of the last line that
    ``tests/<script>`` (a path relative to tests/, e.g.
    ``"engine/jax_loop_job.py"``) printed, run in a process of its own with
    ``KERAS_BACKEND=backend`` (the backend is fixed when Keras is imported);
    started in the background when a module's ``JOBS`` names the fixture."""

    def run(script, backend, timeout=600):
        return _job(script, backend).run(timeout)

    return run
