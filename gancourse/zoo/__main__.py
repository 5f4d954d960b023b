"""Rebuild and inspect the zoo.

    python -m gancourse.zoo list                 # every entry with the metrics of its card
    python -m gancourse.zoo build NAME [NAME …]  # retrain entries (``all`` for every recipe)
    python -m gancourse.zoo build NAME --seed 1 --out-dir /tmp/seed1   # another training seed, elsewhere
"""

from __future__ import annotations

import argparse
import json

from .build import build
from . import RECIPES, available, card


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gancourse.zoo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print the shipped entries and their metrics")
    b = sub.add_parser("build", help="train entries and write their checkpoints")
    b.add_argument("names", nargs="+", help=f"'all' or any of: {', '.join(RECIPES)}")
    b.add_argument("--seed", type=int, default=None, help="training seed instead of the recipe's")
    b.add_argument("--out-dir", default=None, help="where to write the checkpoints (default: the zoo itself)")
    args = parser.parse_args(argv)
    if args.command == "list":
        for name in available():
            print(f"{name:24s} {json.dumps(card(name)['metrics'])}")
        return
    names = list(RECIPES) if args.names == ["all"] else args.names
    for name in names:
        built = build(name, out_dir=args.out_dir, seed=args.seed)
        print(f"{name}: {json.dumps(built['metrics'])}  ({built['wall_time_s']} s)")


if __name__ == "__main__":
    main()
