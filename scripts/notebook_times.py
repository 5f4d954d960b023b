"""Print the per-notebook execution times that nbval recorded (``_build/notebook_times.json``).

``make book`` ends with this table: the cost of the book, notebook by notebook, at the budget it was
built at (see conftest.py for how the times are taken).
"""

import json
import sys
from pathlib import Path

TIMES = Path(__file__).resolve().parents[1] / "_build" / "notebook_times.json"

if not TIMES.exists():
    sys.exit("no notebook times recorded yet: run `make notebooks` (or `make book`) first")
times = json.loads(TIMES.read_text())
print(f"\n{'notebook (executed once, by nbval)':<45} {'seconds':>8}")
for name, row in sorted(times.items()):
    print(f"{name:<45} {row['seconds']:8.1f}{'' if row['passed'] else '  FAILED'}")
print(f"{'total':<45} {sum(r['seconds'] for r in times.values()):8.1f}")
