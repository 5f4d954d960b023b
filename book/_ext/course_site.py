"""Sphinx extension of the course's site: the fixes that make every page load cleanly.

* Each script and style sheet is linked once per page. sphinx-thebe registers its configuration script on
  every ``env-before-read-docs`` event; when that fires twice in one build, pages declared ``const
  THEBE_JS_URL`` twice and the browser logged a SyntaxError.
* Every page links the course's style sheet (``course.css``: the Colab link, the Langevin explorer).
* The site's root holds ``favicon.ico``: browsers ask for it on pages that link no icon (the root
  ``index.html``, a redirect), and a missing one is a failed request.
"""

from __future__ import annotations

from typing import Any


def _unique(files: list) -> list:
    seen, kept = set(), []
    for item in files:
        # a script registered once through the registry ('') and once directly (None) is the same script
        key = (getattr(item, "filename", str(item)) or "", repr(sorted(getattr(item, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _dedupe_assets(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    for name in ("script_files", "css_files"):
        if name in context:
            context[name] = _unique(context[name])


def _write_favicon(app: Any, exception: Exception | None) -> None:
    """A 32-pixel icon like book/_static/favicon.svg: a white G on the course's blue."""
    if exception is not None or app.builder.format != "html":
        return
    from PIL import Image, ImageDraw

    icon = Image.new("RGB", (32, 32), (31, 59, 115))
    ImageDraw.Draw(icon).text((16, 16), "G", fill="white", anchor="mm", font_size=22)
    icon.save(f"{app.outdir}/favicon.ico")


def setup(app: Any) -> dict:
    app.add_css_file("course.css")
    app.connect("html-page-context", _dedupe_assets, priority=900)
    app.connect("build-finished", _write_favicon)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
