"""The graded assignments: build the student versions from the sources, and check that the tests grade.

Each ``assignments/source/aN_*.ipynb`` is one otter-grader source notebook (otter's assign format): the
questions, their solutions, public and hidden tests, and — in raw cells that otter drops from every version —
at least two typical wrong answers per auto-graded question::

    ## Ignore ##
    # WRONG q3: the Langevin step with the wrong sign
    def langevin_step(z, grad, eta, noise):
        return z + 0.5 * eta * grad + eta ** 0.5 * noise

``python scripts/assignments.py build`` runs ``otter assign`` on every source and writes the student versions
(solutions replaced by ``...``, hidden tests removed) to ``assignments/student/aN_*.ipynb``, their public tests to
``assignments/student/tests/aN_*/``. Those are committed: the book shows them and the Colab links open them;
``tests/test_assignments.py`` fails when they are out of date.

``python scripts/assignments.py check`` grades, for every assignment: the solution with otter's own grader
(``otter run`` on the autograder zip — what an instructor runs; it must score full marks), the unedited student
version (it must score zero on every auto-graded question), and every listed wrong answer put in place of the
solution (it must fail a hidden test of its question). It prints one line per assignment: questions, test cases,
wrong answers caught, and the solution's execution time. ``tests/test_assignments.py`` asserts the same.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "assignments" / "source"
STUDENT = ROOT / "assignments" / "student"
WRONG = re.compile(r"^## Ignore ##\s*\n# WRONG (q\d+): (.+)\n", re.I)


def sources() -> list[Path]:
    """The source notebooks, in lecture order."""
    return sorted(SOURCES.glob("a*.ipynb"))


@dataclass
class Question:
    name: str
    manual: bool
    points: float


@dataclass
class WrongAnswer:
    question: str
    description: str
    code: str


@dataclass
class Source:
    """What one source notebook declares: its questions and its listed wrong answers."""
    path: Path
    questions: list[Question] = field(default_factory=list)
    wrong_answers: list[WrongAnswer] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem

    @classmethod
    def read(cls, path: Path) -> "Source":
        import yaml

        source = cls(path)
        for cell in nbformat.read(path, as_version=4).cells:
            text = cell.source
            if cell.cell_type == "raw" and re.match(r"#\s*BEGIN QUESTION", text):
                config = yaml.safe_load(text.split("\n", 1)[1])
                source.questions.append(Question(config["name"], bool(config.get("manual")), config["points"]))
            elif cell.cell_type == "raw" and (match := WRONG.match(text)):
                source.wrong_answers.append(WrongAnswer(match[1], match[2].strip(), text[match.end():]))
        return source


def assign(source: Path, out: Path) -> Path:
    """``otter assign source out``: out/student (the student version) and out/autograder (solution, zip)."""
    subprocess.run([sys.executable, "-m", "otter", "assign", str(source), str(out)], check=True,
                   capture_output=True, text=True)
    return out


def install_student(out: Path, name: str, student: Path = STUDENT) -> None:
    """Copy otter's student notebook and public tests into ``student`` (the committed, published versions)."""
    student.mkdir(parents=True, exist_ok=True)
    shutil.copy(out / "student" / f"{name}.ipynb", student / f"{name}.ipynb")
    tests = student / "tests" / name
    shutil.rmtree(tests, ignore_errors=True)
    shutil.copytree(out / "student" / "tests", tests)


def otter_grade(out: Path, notebook: Path) -> dict[str, tuple[float, float]]:
    """Grade ``notebook`` with the autograder zip in ``out`` (``otter run``): {question: (score, max)}."""
    (zip_path,) = (out / "autograder").glob("*-autograder_*.zip")
    with tempfile.TemporaryDirectory() as results:
        subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(zip_path), str(notebook), "-o", results],
                       check=True, capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"})
        tests = json.loads((Path(results) / "results.json").read_text())["tests"]
    return {t["name"]: (t["score"], t["max_score"]) for t in tests if "max_score" in t and t["name"] != "Public Tests"}


def _uses_otter(code: str) -> bool:
    return "grader." in code and "otter.Notebook" not in code


@contextlib.contextmanager
def _cwd(path: Path):
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def execute(notebook: Path) -> dict:
    """Run the notebook's code cells in this process (its ``grader.check`` cells skipped); returns its globals.
    A cell that raises is reported and the next one runs (an unedited student version raises)."""
    env: dict = {"__name__": "__main__"}
    with _cwd(notebook.parent):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type != "code" or _uses_otter(cell.source):
                continue
            try:
                exec(compile(cell.source, f"<{notebook.name}>", "exec"), env)
            except Exception as err:  # noqa: BLE001 — a student's cell may raise anything
                env.setdefault("__errors__", []).append(repr(err))
    return env


def run_question(tests_dir: Path, question: str, env: dict) -> list[tuple[bool, bool]]:
    """Run one question's test file against ``env``: [(hidden, passed)] per test case."""
    from otter.test_files import ExceptionTestFile

    test_file = ExceptionTestFile.from_file(str(tests_dir / f"{question}.py"))
    test_file.run(env)
    return [(r.test_case.hidden, r.passed) for r in test_file.test_case_results]


@dataclass
class Report:
    name: str
    questions: int
    written: int
    cases: int
    hidden: int
    wrong: int
    caught: int
    solution_s: float
    solution: dict
    student: dict
    missed: list[str]

    def line(self) -> str:
        return (f"{self.name}: {self.questions} questions ({self.written} written), {self.cases} test cases "
                f"({self.hidden} hidden), wrong answers caught {self.caught}/{self.wrong}, "
                f"solution graded in {self.solution_s:.0f} s")


def check(source_path: Path, work: Path) -> Report:
    """Assign one source into ``work`` and grade its solution, its student version and its wrong answers."""
    source = Source.read(source_path)
    out = assign(source_path, work / source.name)
    start = time.perf_counter()
    solution = otter_grade(out, out / "autograder" / f"{source.name}.ipynb")
    solution_s = time.perf_counter() - start
    student = otter_grade(out, out / "student" / f"{source.name}.ipynb")

    tests_dir = out / "autograder" / "tests"
    env = execute(out / "autograder" / f"{source.name}.ipynb")
    cases = {q.name: run_question(tests_dir, q.name, env) for q in source.questions if not q.manual}
    missed = []
    for wrong in source.wrong_answers:
        wrong_env = dict(env)
        with _cwd(out / "autograder"), warnings.catch_warnings():
            warnings.simplefilter("ignore")               # a wrong answer may overflow or divide by zero
            exec(compile(wrong.code, f"<wrong {wrong.question}>", "exec"), wrong_env)
            results = run_question(tests_dir, wrong.question, wrong_env)
        if all(passed for hidden, passed in results if hidden):
            missed.append(f"{wrong.question}: {wrong.description}")
    return Report(source.name, len(source.questions), sum(q.manual for q in source.questions),
                  sum(map(len, cases.values())), sum(h for c in cases.values() for h, _ in c),
                  len(source.wrong_answers), len(source.wrong_answers) - len(missed), solution_s,
                  solution, student, missed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build", "check"])
    parser.add_argument("names", nargs="*", help="assignments to process (default: all), e.g. a2_gan_game")
    args = parser.parse_args()
    chosen = [s for s in sources() if not args.names or s.stem in args.names]
    with tempfile.TemporaryDirectory() as work:
        for path in chosen:
            if args.command == "build":
                install_student(assign(path, Path(work) / path.stem), path.stem)
                print(f"{path.stem}: student version written to {STUDENT.relative_to(ROOT)}")
            else:
                report = check(path, Path(work))
                print(report.line())
                for miss in report.missed:
                    print(f"  NOT CAUGHT by the hidden tests: {miss}")


if __name__ == "__main__":
    main()
