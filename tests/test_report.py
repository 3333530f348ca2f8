"""``simsav report``: one self-contained HTML page for a board, checked as a browser renders it.

The page is opened in headless Chromium (Debian's ``chromium``, driven by Playwright with no
browser download): a screenshot that is not blank, every image loaded, no console errors.
Without chromium the browser test is skipped, except in CI (CI=true), where it must run.
"""
from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import simsav

REPO = Path(__file__).resolve().parents[1]
HR = REPO / "configs" / "holland-rijnland.toml"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def need_browser():
    """Return (sync_playwright, chromium path); skip when either is missing, unless in CI."""
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    exe = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = [what for what, ok in (("chromium (apt-get install chromium)", exe),
                                     ("playwright (pip install -e '.[test]')", sync_playwright)) if not ok]
    if missing:
        if in_ci:
            pytest.fail(f"CI must render the report in a browser, but {' and '.join(missing)} is missing")
        pytest.skip(f"{' and '.join(missing)} not installed: the browser check of the report needs it")
    return sync_playwright, exe


@pytest.fixture(scope="module")
def report_nl(tmp_path_factory, simsav_cmd):
    """The Dutch report of Holland Rijnland, written by the command (100 draws)."""
    import subprocess

    out = tmp_path_factory.mktemp("report") / "hr.html"
    r = subprocess.run([*simsav_cmd, "report", str(HR), "--draws", "100", "--seed", "2", "--out", str(out)],
                       capture_output=True, text=True, timeout=300, cwd=out.parent)
    assert r.returncode == 0, r.stderr
    assert f"rapport geschreven naar {out}" in r.stdout  # the config says language = "nl"
    return out


@pytest.fixture(scope="module")
def report_en():
    from simsav.present.report import build_report

    return build_report(HR, draws=60, seed=1, lang="en")


def test_report_is_one_self_contained_file(report_nl):
    html = report_nl.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', html)
    assert len(sources) >= 4  # fan chart, costs and savings, tornado, sharing
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    # nothing is fetched: no external script, stylesheet, font or image
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html and "@import" not in html and "url(http" not in html
    assert [p.name for p in report_nl.parent.iterdir()] == ["hr.html"]  # atomic write: no temp file left
    umask = os.umask(0)
    os.umask(umask)
    assert report_nl.stat().st_mode & 0o777 == 0o666 & ~umask  # like any file written, not mkstemp's 0600


def test_report_states_each_partys_investment_and_saving_in_plain_dutch(report_nl):
    html = report_nl.read_text(encoding="utf-8")
    assert re.search(r"Gemeente Leiden / DZB investeert EUR \d{1,3}(\.\d{3})+ en bespaart naar verwachting "
                     r"EUR \d{1,3}(\.\d{3})+; in \d+% van de scenario&#39;s verdient zij haar investering terug, "
                     r"in de (helft binnen \d+ maanden|meeste niet binnen 60 maanden)\.", html)
    assert "gemiddeld na" not in html  # a median is not called an average
    assert "GGZ-instelling investeert EUR 38.000 en bespaart zelf niets" in html
    assert "Alle partijen samen investeren EUR" in html
    own_words = html.split('id="assumptions"')[0]  # the sources after it are quoted from the config as written
    assert not re.search(r"EUR -?\d{1,3},\d{3}", own_words)  # no English thousands separators in Dutch


def test_report_lists_each_uncertain_assumption_with_its_source(report_nl):
    html = report_nl.read_text(encoding="utf-8")
    table = html.split('id="assumptions"')[1]
    cfg_table = simsav.load_config(HR)
    from simsav.present.report import assumptions

    rows = assumptions(cfg_table, "nl")
    assert len(rows) == 18 and all(a.source for a in rows)
    assert table.count("<tr>") == 1 + len(rows)
    # a label, the value in words and the documents cited, not ids, pert(...) or comments
    assert "Kans op een baan met de aanpak" in table and "placement_probability" not in table
    assert "tussen 500 en 4.000, meest waarschijnlijk 1.500" in table and "pert(" not in table
    assert "Artikel Holland Rijnland in Meedoen, meedelen (Lumen, DZB Leiden, GGZ, UWV), r. 5" in table
    assert "Business case Twente 2021-2023 (nov. 2020), r. 42" in table
    by_name = {a.name: a for a in rows}
    assert by_name["cf_placement_probability"].source == (
        "Business case Twente 2021-2023 (nov. 2020), r. 21; eigen inschatting van de opstellers")
    assert by_name["regular_reintegration_uwv"].source == "eigen inschatting van de opstellers"
    assert by_name["regular_reintegration_uwv"].label == "Vermeden reguliere re-integratie UWV, per deelnemer"
    # the 90% range of every assumption is shown
    assert all(a.low < a.high for a in rows)


def test_report_shows_the_top_drivers_and_the_sharing_rules(report_nl):
    html = report_nl.read_text(encoding="utf-8")
    drivers = html.split('id="drivers"')[1].split("</section>")[0]
    if _has("simsav.sensitivity"):
        assert "Aandeel banen dat 12 maanden standhoudt" in drivers and "Tornadodiagram" in drivers
        assert "job_retention_12m" not in drivers
    if _has("simsav.sharing"):
        sharing = html.split('id="sharing"')[1].split("</section>")[0]
        assert "zonder verdeling" in sharing and "kosten volgen baten" in sharing


def test_english_report_writes_english_euros(report_en):
    assert '<html lang="en">' in report_en
    assert re.search(r"UWV invests EUR \d{1,3}(,\d{3})+ and is expected to save EUR \d{1,3}(,\d{3})+", report_en)
    assert "Assumptions and sources" in report_en
    # the shipped labels in English, the values in English words and numbers
    assert "Chance of a job with the approach" in report_en and "Kans op een baan" not in report_en
    assert "between 500 and 4,000, most likely 1,500" in report_en
    assert "judgement of the modeller" in report_en


def test_report_without_uncertain_numbers_lists_the_largest_items():
    from simsav.present.report import build_report

    html = build_report(REPO / "configs" / "twente.toml", draws=20, seed=1, lang="en")
    assert "this config has no uncertain assumptions" in html.lower()
    assert "Uitkering Participatiewet (gemeente)" in html.split('id="drivers"')[1]


@pytest.mark.parametrize("args, message", [
    (["--out", "missing/report.html"], "error: --out: directory 'missing' does not exist"),
    (["--lang", "de"], "error: --lang: 'de' is not one of 'nl', 'en'"),
    (["--draws", "0"], "error: --draws"),
])
def test_report_with_bad_input_exits_2_and_writes_nothing(run_simsav, tmp_path, args, message):
    r = run_simsav("report", HR, *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def open_in_chromium(path, width: int = 1280):
    """Open ``path`` in headless Chromium: return (console and network problems, the images as
    {src, complete, width}, the page title, its h1, the h2 headings, a full-page screenshot)."""
    sync_playwright, exe = need_browser()
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.goto(Path(path).as_uri(), wait_until="load")
            images = page.evaluate("Array.from(document.images).map(i => "
                                   "({src: i.src.slice(0, 30), complete: i.complete, width: i.naturalWidth}))")
            title = page.title()
            heading = page.inner_text("h1")
            sections = page.evaluate("Array.from(document.querySelectorAll('h2')).map(h => h.innerText)")
            shot = page.screenshot(full_page=True)
        finally:
            browser.close()
    return problems, images, title, heading, sections, shot


def test_report_renders_in_headless_chromium(report_nl, tmp_path):
    import matplotlib.image as mpimg

    problems, images, title, heading, _, shot = open_in_chromium(report_nl)
    (tmp_path / "report.png").write_bytes(shot)
    assert problems == []
    assert len(images) >= 4
    assert all(i["complete"] and i["width"] > 0 for i in images), images
    assert title == heading == "Meedoen, meedelen - Holland Rijnland"
    img = mpimg.imread(io.BytesIO(shot), format="png")
    rgb = (img[..., :3] * 255).round().astype(np.uint8)
    assert rgb.shape[0] > 2000  # the whole page: key figures, figures, tables
    assert float(np.mean(np.any(rgb < 245, axis=-1))) > 0.05  # not blank


def test_report_says_what_is_worth_learning_first(report_en):
    """The value of information of the report's own draws, per party, as simsav.voi computes it."""
    import re

    import simsav
    from simsav.analysis.voi import evppi
    from simsav.present.report import LEARN_BOOTSTRAP

    section = re.search(r'<section id="learn-first">(.*?)</section>', report_en, flags=re.S)
    assert section, "no learn-first section"
    text = section.group(1)
    assert "What is worth learning first" in text and "EVPPI" in text
    ds = simsav.simulate(HR, draws=60, seed=1)
    voi = evppi(ds, n_boot=LEARN_BOOTSTRAP, seed=1)
    g = voi.sel(party="gemeente")
    best = int(np.argmax(g["evppi"].values))
    if g["evppi"].values[best] > g["evppi_se"].values[best]:  # the gemeente's line names its most valuable assumption
        from simsav.present.labels import parameter_labels

        label = parameter_labels(simsav.load_config(HR), "en")[str(voi["parameter"].values[best])]
        line = next(li for li in re.findall(r"<li>(.*?)</li>", text) if li.startswith("Gemeente"))
        assert label in line, line
    # a party that always loses (the GGZ pays and saves nothing here) gains nothing from knowing more
    assert "GGZ-instelling" in text.split("</li>")[-2]


def test_a_report_of_few_draws_says_they_are_too_few():
    from simsav.present.report import build_report

    html = build_report(HR, draws=20, seed=1, lang="en")
    assert "Too few draws to say (20; at least 50)" in html
    # a config without an uncertain number (Twente as its source wrote it) has nothing to learn
    assert 'id="learn-first"' not in build_report(REPO / "configs" / "twente.toml", draws=20, seed=1, lang="en")
