"""The explorer (corpus_tools.explore): its state in Python, and in a real browser
(Voilà serving notebooks/explore.ipynb on loopback, headless Chromium via selenium)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import corpus_tools as ct
from conftest import ROOT, SEEDS_DIR

SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explore") / "store"
    ct.ingest(SEEDS_DIR, out, backend="serial", progress=False)
    return out


def test_term_period_and_pages_follow_the_controls(store):
    c = ct.open_corpus(store)
    ex = ct.explore(c, page_size=3)
    ex.term_box.value = "chuyển đổi số"  # as typing does
    assert ex.term == "chuyển đổi số" and "chuyển đổi số" in ex.plot.value
    want = ct.term_rates(c, ["chuyển đổi số"], by=ex.by, n_boot=200, random_state=0)
    pd.testing.assert_frame_equal(ex.rates.reset_index(drop=True), want.reset_index(drop=True))
    assert (ex.lines["keyword"].str.casefold() == "chuyển đổi số").all()
    assert len(ex.lines) == int(want["count"].sum())  # every hit listed
    year = str(c.articles.loc[c.articles["text"].str.contains("chuyển đổi số"), "published"].dt.year.max())
    ex.period_box.value = year
    assert set(ex.lines["published"].str[:4]) == {year}
    ex.term_box.value = "Đảng"
    assert len(ex.lines) > 6
    first = ex.lines.iloc[:3]
    ex.page(+1)
    assert "lines 4–6 of" in ex.page_label.value
    ex.page(-1)
    assert f"lines 1–3 of {len(ex.lines)}" in ex.page_label.value and first.equals(ex.lines.iloc[:3])
    ex.split_box.value = True
    assert all(" · " in t for t in ex.rates["term"].unique())
    assert all(dt < 5 for _, dt in ex.timings)


def test_topic_view(store):
    c = ct.open_corpus(store)
    frame = c.frame("paragraph").merge(c.read_table("paragraphs"), on=["doc_id", "para_id"])
    model = ct.TopicModel(4, vectorizer=ct.TopicVectorizer(unit="paragraph"), random_state=0).fit(frame)
    ex = ct.explore(c, model=model, frame=frame)
    ex.lambda_box.value = 0.2
    top = model.top_terms(1, lambda_=0.2)[ex.topic_box.value][0].replace("_", " ")
    assert top in ex.topic_terms.value and "λ = 0.20" in ex.topic_terms.value
    assert "Inter-topic map" in ex.topic_map.value and "ct-passages" in ex.passages.value
    with pytest.raises(ValueError, match="frame="):
        ct.explore(c, model=model)


def _browser() -> tuple[str, str] | None:
    for b in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(b) and shutil.which("chromedriver"):
            return shutil.which(b), shutil.which("chromedriver")
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(_browser() is None, reason="no Chromium and chromedriver on this machine "
                    "(.ci/run installs Debian's chromium and chromium-driver)")
def test_explorer_in_a_real_browser(store, tmp_path):
    """Voilà runs notebooks/explore.ipynb; headless Chromium types a term and
    picks a period; the plot's text and the KWIC rows change to match."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import Select, WebDriverWait
    browser, driver = _browser()
    port = _free_port()
    env = {**os.environ, "CORPUS_TOOLS_STORE": str(store), "CORPUS_TOOLS_TOPICS": "1"}
    voila = subprocess.Popen([sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
                              "--Voila.ip=127.0.0.1", str(ROOT / "notebooks" / "explore.ipynb")],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800"):
        opts.add_argument(a)
    d = None
    try:
        for _ in range(120):  # the server is up when the port answers
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        d = webdriver.Chrome(service=Service(driver), options=opts)
        d.get(f"http://127.0.0.1:{port}/")
        # widgets re-render on every update: read elements again if they went stale
        wait = WebDriverWait(d, 120, ignored_exceptions=(StaleElementReferenceException,))

        def texts(css):
            return [e.text for e in d.find_elements(By.CSS_SELECTOR, css)]
        box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".widget-text input"))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".ct-plot svg"))
        before = d.find_element(By.CSS_SELECTOR, ".ct-plot").text
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        d.save_screenshot(str(SCREENSHOTS / "explorer_1_loaded.png"))
        box.clear()
        box.send_keys("chuyển đổi số" + Keys.ENTER)
        wait.until(lambda d: "“chuyển đổi số”" in d.find_element(By.CSS_SELECTOR, ".ct-plot").text)
        assert d.find_element(By.CSS_SELECTOR, ".ct-plot").text != before
        cells = wait.until(lambda d: texts("table.ct-kwic td.ct-kwic-keyword"))
        assert all(c.casefold() == "chuyển đổi số" for c in cells)
        d.save_screenshot(str(SCREENSHOTS / "explorer_2_term_typed.png"))
        period = Select(d.find_elements(By.CSS_SELECTOR, ".widget-dropdown select")[1])
        period.select_by_visible_text("2024")
        wait.until(lambda d: "period 2024" in d.find_element(By.CSS_SELECTOR, ".ct-page").text)
        dates = wait.until(lambda d: texts("table.ct-kwic td.ct-kwic-published"))
        assert all(x.startswith("2024") for x in dates)
        d.save_screenshot(str(SCREENSHOTS / "explorer_3_period_2024.png"))
        assert d.find_elements(By.CSS_SELECTOR, ".ct-topic-map svg")  # the Topics tab is built
    finally:
        if d is not None:
            d.quit()
        voila.terminate()
        try:
            voila.wait(timeout=20)
        except subprocess.TimeoutExpired:
            voila.kill()
