"""The graded assignments (``assignments/``): the published student versions are what ``otter assign`` makes of the
sources, every solution scores full marks with otter's own grader, every unedited student version scores zero,
and every typical wrong answer a source lists fails a hidden test of its question (``scripts/assignments.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("course_assignments", ROOT / "scripts" / "assignments.py")
assignments = sys.modules["course_assignments"] = importlib.util.module_from_spec(_spec)   # dataclasses look it up
_spec.loader.exec_module(assignments)

SOURCES = assignments.sources()
LECTURES = sorted(p.stem for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb"))


def _cells(path: Path) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in nbformat.read(path, as_version=4).cells]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, "assignments.Report"]:
    """Each source assigned and graded once (about 20 s each)."""
    work = tmp_path_factory.mktemp("assign")
    return {s.stem: assignments.check(s, work) for s in SOURCES}


def test_one_assignment_per_lecture():
    numbers = sorted(s.stem.split("_")[0] for s in SOURCES)
    assert numbers == [f"a{lecture[1]}" for lecture in LECTURES], (
        f"every lecture 1–8 needs an assignment aN_… in assignments/source: lectures {LECTURES}, sources {numbers}")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_source_declares_questions_and_wrong_answers(source):
    declared = assignments.Source.read(source)
    assert 4 <= len(declared.questions) <= 6, f"{source.stem}: {len(declared.questions)} questions, expected 4–6"
    assert any(q.manual for q in declared.questions), f"{source.stem}: no written question"
    for q in declared.questions:
        listed = [w for w in declared.wrong_answers if w.question == q.name]
        assert q.manual or len(listed) >= 2, f"{source.stem} {q.name}: {len(listed)} wrong answers listed, expected ≥ 2"
    lecture = next(name for name in LECTURES if name[1] == source.stem[1])
    assert f"../../notebooks/{lecture}.ipynb" in nbformat.read(source, as_version=4).cells[1].source
    text = (ROOT / "notebooks" / f"{lecture}.ipynb").read_text()
    assert f"../assignments/student/{source.stem}.ipynb" in text, f"lecture {lecture} does not link its assignment"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_student_version_is_up_to_date(source, tmp_path):
    """The committed student notebook and public tests are exactly what `python scripts/assignments.py build` writes."""
    out = assignments.assign(source, tmp_path / "out")
    student = tmp_path / "student"
    assignments.install_student(out, source.stem, student)
    stale = "is out of date: run `python scripts/assignments.py build` and commit assignments/student"
    assert _cells(student / f"{source.stem}.ipynb") == _cells(assignments.STUDENT / f"{source.stem}.ipynb"), f"{source.stem} {stale}"
    fresh = {p.name: p.read_text() for p in (student / "tests" / source.stem).glob("*.py")}
    committed = {p.name: p.read_text() for p in (assignments.STUDENT / "tests" / source.stem).glob("*.py")}
    assert fresh == committed, f"the public tests of {source.stem} {stale}"
    for text in committed.values():
        assert "hidden=True" not in text, "a hidden test was published"


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_solution_scores_full_marks(reports, name):
    report = reports[name]
    assert report.solution and all(score == top for score, top in report.solution.values()), report.solution


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_unedited_student_version_scores_zero(reports, name):
    report = reports[name]
    assert set(report.student) == set(report.solution)
    assert all(score == 0 for score, _ in report.student.values()), report.student


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_every_wrong_answer_fails_a_hidden_test(reports, name):
    report = reports[name]
    assert report.wrong >= 2 * (report.questions - report.written)
    assert not report.missed, f"{name}: wrong answers the hidden tests let through: {report.missed}"


@pytest.mark.parametrize("name", [s.stem for s in SOURCES])
def test_assignment_grades_in_under_a_minute(reports, name):
    """The solution is executed and graded (otter run: a kernel, the notebook, every test) in under a minute."""
    assert reports[name].solution_s < 60, f"{name}: {reports[name].solution_s:.0f} s"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_student_version_opens_on_colab_and_is_in_the_book(source, book_config):
    cells = nbformat.read(assignments.STUDENT / f"{source.stem}.ipynb", as_version=4).cells
    url, branch = book_config("url"), book_config("branch")
    badge = f"colab.research.google.com/github/{url.removeprefix('https://github.com/')}/blob/{branch}/assignments/student/{source.stem}.ipynb"
    assert cells[0].source.startswith("# Assignment") and badge in cells[0].source, f"{source.stem}: no Colab link"
    setup = cells[1].source
    assert f'REPO = "{url}"' in setup and f"tests/{source.stem}" in setup
    assert all(c.get("outputs", []) == [] for c in cells), f"{source.stem}: the student version has outputs"
    assert f"assignments/student/{source.stem}" in (ROOT / "_toc.yml").read_text()
