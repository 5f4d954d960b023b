"""The built book as a website: self-contained, and clean in a real browser, page by page.

Static checks, over every page of ``_build/html``:

* no page loads a script, style sheet, font or image from ``http(s)://`` (nor do the style sheets it links);
* every notebook page's launch button and its *Open in Colab* link (lectures and assignments) open that notebook on
  Colab, from the repository and branch ``_config.yml`` names.

Browser checks: headless Chromium (Debian's ``chromium`` and ``chromedriver``, driven by selenium) loads every
page from a local HTTP server and checks that the page logs no console error or warning, that no request fails
or leaves the local server, and that every image decodes, every formula is typeset by MathJax (no raw ``$`` or
TeX left in the prose), every theorem-like block is numbered, the table of contents links every page, search
finds results, and the Langevin explorer of lecture 5 swaps its picture when a slider moves. A screenshot of each page is saved in
``_build/screenshots`` for people to look at.

The tests need ``make book`` first. Without the built site or the browser they are skipped with a message
saying what to do; under CI (``CI`` set) they fail instead (``test_the_site_is_built`` fails there when the
site is missing, since the per-page tests then have no pages to run on).
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "_panels_static"}


def pages() -> list[Path]:
    """Every HTML page of the built site (assets excluded)."""
    if not (SITE / "index.html").exists():
        return []
    return sorted(p for p in SITE.rglob("*.html") if not SKIP_DIRS & set(p.relative_to(SITE).parts[:-1]))


def page_id(path: Path) -> str:
    return str(path.relative_to(SITE))


def toc_pages() -> list[str]:
    """The pages ``_toc.yml`` lists, as paths of the built site (``notebooks/02_gan_game.html``)."""
    names = re.findall(r"^\s*(?:root|- file):\s*(\S+)", (ROOT / "_toc.yml").read_text(), re.M)
    return [f"{name}.html" for name in names]


@pytest.fixture(scope="module")
def site(unavailable) -> Path:
    if not pages():
        unavailable("the book is not built: run `make book` first (it writes _build/html)")
    return SITE


def test_the_site_is_built(site):
    """Without a built site the per-page tests below have no pages to run on; this one fails under CI then."""
    assert set(toc_pages()) <= {page_id(p) for p in pages()}, "pages of _toc.yml missing from the site"


class _Links(html.parser.HTMLParser):
    """The URLs of scripts, style sheets, icons, fonts, images and anchors of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []             # what the browser fetches by itself
        self.anchors: list[tuple[str, str]] = []  # (href, class)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "source", "iframe") and a.get("src"):
            self.loaded.append(a["src"])
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "icon", "preload",
                                                                                      "modulepreload", "manifest"}:
            self.loaded.append(a["href"])
        if tag == "a" and a.get("href"):
            self.anchors.append((a["href"], a.get("class") or ""))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.I))


@pytest.mark.parametrize("path", pages(), ids=page_id)
def test_page_loads_nothing_from_the_network(site, path):
    links = _parse(path)
    external = [u for u in links.loaded if _is_external(u)]
    assert not external, f"{page_id(path)} loads from the network: {external}"
    for url in links.loaded:
        local = (path.parent / unquote(urlsplit(url).path)).resolve()
        assert url.startswith("data:") or local.exists(), f"{page_id(path)} links {url}, which the site lacks"
        if local.suffix == ".css":
            remote = re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")]+)", local.read_text(errors="ignore"))
            assert not remote, f"{local.relative_to(site)} (linked by {page_id(path)}) loads {remote}"


@pytest.mark.parametrize("path", pages(), ids=page_id)
def test_page_has_no_stray_outputs(site, path):
    """No object reprs (``<torch._C.Generator at 0x…>``), warning boxes or empty widget boxes under a cell."""
    text = path.read_text(encoding="utf-8")
    reprs = re.findall(r"&lt;[\w.]+ (?:object )?at 0x[0-9a-f]+&gt;", text)
    assert not reprs, f"{page_id(path)} shows object reprs: {reprs[:3]}"
    assert 'class="output stderr"' not in text, f"{page_id(path)} shows a stderr box (a warning under a cell)"
    assert "application/vnd.jupyter.widget-view+json" not in text, (
        f"{page_id(path)} holds a widget view, an empty box without a kernel (progress bars: GANCOURSE_PROGRESS=0; "
        "a live widget's cell: tag it remove-output)")


NOTEBOOK_PAGES = sorted(str(p.relative_to(ROOT).with_suffix("")) for folder in ("notebooks", "assignments/student")
                        for p in (ROOT / folder).glob("*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_launch_button_and_badge_open_the_notebook_on_colab(site, book_config, name):
    """Lectures and the assignments' student versions alike."""
    page = site / f"{name}.html"
    assert page.exists(), f"{name} has no page in the built site"
    repo = book_config("url").removeprefix("https://github.com/")
    expected = f"https://colab.research.google.com/github/{repo}/blob/{book_config('branch')}/{name}.ipynb"
    colab = [(href, cls) for href, cls in _parse(page).anchors if href.startswith("https://colab.research.google.com")]
    assert colab, f"{name}: no link to Colab on the page"
    assert all(href == expected for href, _ in colab), f"{name}: Colab links {colab}, expected {expected}"
    assert any("colab-badge" in cls for _, cls in colab), f"{name}: the Open in Colab link is missing"
    assert len(colab) >= 2, f"{name}: the launch button (rocket menu) is missing"


# ---- in a browser -----------------------------------------------------------------------------------------

def _browser_paths() -> tuple[str, str] | None:
    binary = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    driver = shutil.which("chromedriver")
    return (binary, driver) if binary and driver else None


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser(server, unavailable):
    paths = _browser_paths()
    if paths is None:
        unavailable("no Chromium and chromedriver on PATH: `apt-get install chromium chromium-driver` (Debian) "
                 "to run the browser tests of the built site")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium is not installed: `pip install -r requirements.txt`")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,900", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(120)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _network(driver, server: str) -> tuple[list[str], list[str]]:
    """From the browser's performance log since the last call: (requests that failed, requests that left
    the local server)."""
    failed, remote = [], []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith((server, "data:", "blob:")):
                remote.append(url)
        elif message["method"] == "Network.responseReceived" and params["response"]["status"] >= 400:
            failed.append(f"{params['response']['status']} {params['response']['url']}")
        elif message["method"] == "Network.loadingFailed" and not params.get("canceled"):
            failed.append(f"{params.get('errorText')} (request {params.get('requestId')})")
    return failed, remote


_TYPESET = """
const done = arguments[arguments.length - 1];
const ready = (window.MathJax && MathJax.startup && MathJax.startup.promise) ? MathJax.startup.promise : Promise.resolve();
ready.then(() => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { i.loading = 'eager'; });
  return Promise.all(imgs.map(i => i.decode().then(() => null, () => i.getAttribute('src').slice(0, 80))));
}).then(broken => {
  const article = document.querySelector('article') || document.querySelector('main') || document.body;
  const prose = article.cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, mjx-container, .math, .cell_output, .output, .highlight, '
                         + '.gc-explorer, .headerlink').forEach(e => e.remove());
  const math = Array.from(article.querySelectorAll('.math'));
  // sphinx-proof: a theorem, definition, remark ... is div.proof.admonition.<type>; a proof has no type class.
  // A numbered one has its number in span.caption-number inside the title.
  const theorems = Array.from(article.querySelectorAll('div.proof.admonition')).filter(d => d.classList.length > 2);
  done({
    broken: broken.filter(b => b !== null),
    untypeset: math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 60)),
    math: math.length,
    rawtex: (prose.textContent.match(/\\$|\\\\\\(|\\\\\\[|\\\\(frac|mathbb|mathrm|left|right|sum|int)\\b/g) || []),
    unnumbered: theorems.filter(d => !/\\d/.test(d.querySelector('.admonition-title .caption-number')?.textContent || ''))
                        .map(d => (d.querySelector('.admonition-title')?.textContent || '?').slice(0, 60)),
    theorems: theorems.length,
    toc: Array.from(document.querySelectorAll('nav.bd-docs-nav a.reference.internal, #bd-docs-nav a.reference.internal'))
              .map(a => a.href),
  });
});
"""


@pytest.mark.parametrize("path", pages(), ids=page_id)
def test_page_is_clean_in_a_browser(browser, server, site, path):
    name = page_id(path)
    browser.get_log("browser"), browser.get_log("performance")             # start from empty logs
    browser.get(f"{server}/{name}")
    result = browser.execute_async_script(_TYPESET)
    browser.save_screenshot(str(SHOTS / (name.replace("/", "__").removesuffix(".html") + ".png")))
    console = [f"{e['level']}: {e['message']}" for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    failed, remote = _network(browser, server)
    assert not console, f"{name}: console messages {console}"
    assert not failed, f"{name}: failed requests {failed}"
    assert not remote, f"{name}: requests beyond the site {remote}"
    assert not result["broken"], f"{name}: images that do not decode: {result['broken']}"
    assert not result["untypeset"], f"{name}: formulas MathJax did not typeset: {result['untypeset'][:5]}"
    assert not result["rawtex"], f"{name}: raw TeX or dollar signs in the prose: {result['rawtex'][:10]}"
    assert not result["unnumbered"], f"{name}: theorem-like blocks without a number: {result['unnumbered']}"
    source = _source_of(name)
    if source is not None and re.search(r"\$\$|(?<![\\$])\$[^$\s][^$]*\$", source):
        assert result["math"] > 0, f"{name}: the source has mathematics but the page has no typeset formula"
    if source is not None and ":::{prf:" in source:
        assert result["theorems"] > 0, f"{name}: the source has theorem blocks but the page shows none"
    if name in toc_pages():
        linked = {urlsplit(u).path.lstrip("/") for u in result["toc"]}
        assert set(toc_pages()) - {toc_pages()[0]} <= linked, f"{name}: the table of contents lacks {set(toc_pages()) - linked}"


def _source_of(page: str) -> str | None:
    """The markdown of the notebook or page a built page comes from (None for generated pages)."""
    stem = page.removesuffix(".html")
    if (ROOT / f"{stem}.ipynb").exists():
        cells = json.loads((ROOT / f"{stem}.ipynb").read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    if (ROOT / f"{stem}.md").exists():
        return (ROOT / f"{stem}.md").read_text()
    return None


def test_search_finds_pages(browser, server):
    browser.get(f"{server}/search.html?q=discriminator")
    from selenium.webdriver.support.ui import WebDriverWait

    def finished(driver) -> bool:                          # Sphinx adds results one by one, then says so
        summary = driver.find_elements("css selector", "#search-results p.search-summary")
        return bool(summary and summary[0].text.strip())

    WebDriverWait(browser, 60).until(finished)
    results = browser.find_elements("css selector", "#search-results li")
    assert len(results) >= 3, f"search for 'discriminator' found {len(results)} pages"


def test_langevin_explorer_responds_without_a_kernel(browser, server, site):
    from selenium.webdriver.common.keys import Keys

    page = "notebooks/05_gans_as_energy_models.html"
    browser.get(f"{server}/{page}")
    explorers = browser.find_elements("css selector", ".gc-explorer")
    assert len(explorers) >= 2, f"{page}: expected the toy and the digits explorers, found {len(explorers)}"
    for k, explorer in enumerate(explorers):
        image = explorer.find_element("css selector", "img")
        sliders = explorer.find_elements("css selector", "input[type=range]")
        assert len(sliders) == 3, "sliders for the step size, the number of steps and the seed"
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", explorer)
        for slider in sliders:
            before = image.get_attribute("src")
            there, back = ((Keys.ARROW_RIGHT, Keys.ARROW_LEFT) if slider.get_attribute("value") == "0"
                           else (Keys.ARROW_LEFT, Keys.ARROW_RIGHT))
            slider.send_keys(there)                               # as a reader moves it with the keyboard
            after = image.get_attribute("src")
            assert after != before, f"explorer {k}: moving '{slider.get_attribute('aria-label')}' left the picture as it was"
            assert after.startswith("data:image/"), after[:40]
            slider.send_keys(back)
            assert image.get_attribute("src") == before, "moving the slider back did not restore the picture"
        explorer.screenshot(str(SHOTS / f"explorer-{k}.png"))
