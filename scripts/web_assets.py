"""Fetch the scripts and fonts that the book's pages load, so that the built site needs no CDN.

``make book`` runs this before the build. It takes three packages from the npm registry (``npm pack``,
exact versions, each checked against its pinned sha512 integrity) and unpacks the parts the pages use into
``_build/web_assets``, which ``_config.yml`` adds to the site's ``_static`` folder:

* MathJax 3 (``es5/``: the TeX input, the CommonHTML output and its fonts) — the mathematics;
* require.js and the Jupyter widgets HTML manager (``embed-amd.js``) — what myst-nb loads on a page that
  holds saved widget state.

Nothing is vendored into the repository. Without ``npm`` the script stops with a message saying how to get it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "_build" / "web_assets"

# name → (version, integrity, {path inside the package: path under _static})
PACKAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "mathjax": ("3.2.2", "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
                {"es5": "mathjax/es5"}),
    "requirejs": ("2.3.7", "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
                  {"require.js": "requirejs/require.js"}),
    "@jupyter-widgets/html-manager": (
        "1.0.15", "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        {"dist": "jupyter-widgets/html-manager/dist"}),
}


def fetch(dest: Path = DEST) -> None:
    """Unpack every package of :data:`PACKAGES` into ``dest`` (skipped when the stamp says it is done)."""
    wanted = {name: version for name, (version, _, _) in PACKAGES.items()}
    stamp = dest / ".fetched.json"
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        print(f"web assets: {', '.join(f'{n}@{v}' for n, v in wanted.items())} already in {dest}")
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("make book needs npm (Node.js) to fetch MathJax and the widget scripts from the npm registry "
                 "into the site: install Node.js (e.g. `apt-get install npm`) and run it again.")
    shutil.rmtree(dest, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        specs = [f"{name}@{version}" for name, (version, _, _) in PACKAGES.items()]
        out = subprocess.run([npm, "pack", *specs, "--json", "--pack-destination", tmp], check=True,
                             capture_output=True, text=True).stdout
        for packed in json.loads(out):
            version, integrity, members = PACKAGES[packed["name"]]
            if packed["integrity"] != integrity:
                sys.exit(f"{packed['name']}@{version}: the registry's file has integrity {packed['integrity']}, "
                         f"not the pinned {integrity}; refusing to put it into the site.")
            with tarfile.open(Path(tmp) / packed["filename"]) as archive:
                for inside, target in members.items():
                    prefix = f"package/{inside}"
                    chosen = [m for m in archive.getmembers()
                              if m.isfile() and (m.name == prefix or m.name.startswith(prefix + "/"))
                              and not m.name.endswith(".map")]                      # source maps: not served
                    if not chosen:
                        sys.exit(f"{packed['name']}@{version} has no {inside}")
                    for member in chosen:
                        path = dest / target / member.name[len(prefix):].lstrip("/")
                        if member.name == prefix:
                            path = dest / target
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_bytes(archive.extractfile(member).read())
    stamp.write_text(json.dumps(wanted))
    print(f"web assets: {', '.join(specs)} unpacked into {dest}")


if __name__ == "__main__":
    fetch()
