"""zhbook.tools.stages: each finished stage prints its label and time and is noted for the summary; a failed stage
passes its exit status on and is not counted; the summary names what this `make` rebuilt, then starts afresh."""
from __future__ import annotations

import sys

import pytest

from zhbook.tools import stages


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the log is build/stages.log under the folder make runs in
    return tmp_path


def test_a_stage_runs_prints_and_is_summed(capfd, in_tmp):
    assert stages.main(["run", "sphinx html", "--", sys.executable, "-c", "print('built')"]) == 0
    assert stages.main(["run", "latex", "--", sys.executable, "-c", "pass"]) == 0
    out = capfd.readouterr().out.splitlines()
    assert out[0] == "built"
    assert out[1].startswith("  sphinx html") and out[1].endswith(" s") and out[2].startswith("  latex")
    log = (in_tmp / "build" / "stages.log").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1] for line in log] == ["sphinx html", "latex"]
    total = sum(float(line.split("\t")[0]) for line in log)

    assert stages.main(["summary"]) == 0
    assert capfd.readouterr().out == f"  rebuilt 2 stage(s) in {total:.1f} s of work: sphinx html, latex\n"
    assert not (in_tmp / "build" / "stages.log").exists(), "the next make starts a new summary"
    stages.main(["summary"])
    assert capfd.readouterr().out == "  nothing to rebuild\n"


def test_a_failed_stage_passes_its_status_on_and_is_not_counted(capfd, in_tmp):
    assert stages.main(["run", "pdf", "--", sys.executable, "-c", "import sys; sys.exit(3)"]) == 3
    assert capfd.readouterr().out == ""
    assert not (in_tmp / "build" / "stages.log").exists()


@pytest.mark.parametrize("argv", [[], ["run", "x"], ["run", "x", "sphinx-build"], ["other"]])
def test_a_malformed_call_prints_the_usage(capfd, argv):
    assert stages.main(argv) == 2
    assert "python -m zhbook.tools.stages run" in capfd.readouterr().err
