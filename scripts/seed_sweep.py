"""The seed sweep: does every stochastic claim of the lectures hold for any seed?

Runs each notebook at ``GANCOURSE_SEED = 0, 1, …`` (every seed a notebook draws through
``gc.seed`` / ``gc.rng`` shifts), at the book's budget unless ``GANCOURSE_BUDGET`` says otherwise,
with ``GANCOURSE_CLAIMS_LOG`` set so that each :func:`gancourse.claims.check` records its value. Then,
per claim: its values over the seeds, the threshold, how many seeds it held for, and its margin —
the smallest distance to the threshold in units of the claim's standard deviation over seeds.
A claim whose margin is below 1 holds too narrowly to trust; its threshold needs another look.

Usage: ``python scripts/seed_sweep.py [--seeds 0 1 2 3 4] [--jobs 2] [NOTEBOOK ...]``
(``make seeds`` runs it on every notebook). Writes ``_build/seeds/report.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "seeds"


def run(notebook: Path, seed: int, threads: int) -> tuple[str, int, float, list[str]]:
    """Execute one notebook at one seed; return its name, seed, seconds and the cells that failed."""
    import nbformat
    from nbclient import NotebookClient

    log = OUT / f"{notebook.stem}.seed{seed}.jsonl"
    log.unlink(missing_ok=True)
    os.environ.update(GANCOURSE_SEED=str(seed), GANCOURSE_CLAIMS_LOG=str(log), GANCOURSE_CLAIMS_CONTINUE="1",
                      MPLBACKEND="Agg", OMP_NUM_THREADS=str(threads))
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=3600, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    start = time.perf_counter()
    client.execute()
    failed = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                failed.append(f"cell {i}: {out['ename']}: {out['evalue'][:200]}")
    return notebook.stem, seed, time.perf_counter() - start, failed


def margin(values: list[float], op: str, bound: float, holds: list[bool]) -> float:
    """Smallest distance to the threshold (positive = on the right side), in standard deviations.

    A claim whose value does not vary over the seeds (a count at its bound, a deterministic number) has
    an infinite margin when it holds every time.
    """
    sign = 1.0 if op in (">", ">=") else -1.0
    worst = min(sign * (v - bound) for v in values)
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    if spread == 0.0:
        return float("inf") if all(holds) else float("-inf")
    return worst / spread


def report(notebooks: list[Path], seeds: list[int], runs: list) -> str:
    lines = ["# Seed sweep", "", f"Seeds: {seeds}; budget: {os.environ.get('GANCOURSE_BUDGET') or 'book'}.", ""]
    lines += ["| notebook | seconds per run | cells that failed (seed: cell) |", "|---|---|---|"]
    for nb in notebooks:
        mine = [r for r in runs if r[0] == nb.stem]
        fails = "; ".join(f"{s}: {f}" for _, s, _, fs in mine for f in fs) or "none"
        lines.append(f"| {nb.stem} | {statistics.mean(r[2] for r in mine):.0f} | {fails} |")
    lines += ["", "| notebook | claim | values over seeds | threshold | held | margin (sd) |", "|---|---|---|---|---|---|"]
    for nb in notebooks:
        claims: dict[str, list[dict]] = {}
        for s in seeds:
            log = OUT / f"{nb.stem}.seed{s}.jsonl"
            for line in log.read_text().splitlines() if log.exists() else []:
                rec = json.loads(line)
                claims.setdefault(rec["name"], []).append(rec)
        for name, recs in claims.items():
            values = [r["value"] for r in recs]
            m = margin(values, recs[0]["op"], recs[0]["bound"], [r["holds"] for r in recs])
            flag = " **thin**" if m < 1 else ""
            shown = f"{m:.2f}" if abs(m) < 1000 else ("> 1000" if m > 0 else "< -1000")
            lines.append(
                f"| {nb.stem} | {name} | {', '.join(f'{v:.4g}' for v in values)} | {recs[0]['op']} {recs[0]['bound']:.4g} "
                f"| {sum(r['holds'] for r in recs)}/{len(recs)} | {shown}{flag} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (one thread each when > 1)")
    args = parser.parse_args()
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    OUT.mkdir(parents=True, exist_ok=True)
    threads = 1 if args.jobs > 1 else (os.cpu_count() or 1)
    tasks = [(nb, s) for s in args.seeds for nb in notebooks]
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run, nb, s, threads) for nb, s in tasks]
        runs = []
        for fut in futures:
            runs.append(fut.result())
            name, seed, seconds, failed = runs[-1]
            print(f"{name} seed {seed}: {seconds:.0f} s, {len(failed)} failing cell(s)", flush=True)
    text = report(notebooks, args.seeds, runs)
    (OUT / "report.md").write_text(text)
    print(text)
    return 1 if any(r[3] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
