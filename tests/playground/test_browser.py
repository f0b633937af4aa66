"""The playground end to end in a real headless browser (Debian's chromium, driven by Playwright).

A learner's path: open the page, pick the tutorial's two blobs, press Train, watch
the boundary move and the accuracy climb, then paste the code panel's program and
run it. Screenshots go to a temporary folder (printed) for a person to look at.

`.ci/run` installs chromium (apt-get) and `pip install '.[dev]'` installs Playwright.
Where neither can be had the test is skipped with a loud reason; under CI=true it fails.
"""

import os
import shutil
import sys
import tempfile
import time

import numpy as np
import pytest

from nanokeras.playground.show import serve
from tests.playground.helpers import layer_summary, run_program

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIME_LIMIT = 60.0  # seconds for the whole test, browser start included


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _chromium_path():
    for candidate in (os.environ.get("NANOKERAS_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def _skip_or_fail(reason):
    reason = f"BROWSER TEST SKIPPED: {reason}"
    if _in_ci():
        pytest.fail(reason.replace("SKIPPED", "FAILED (CI=true requires it)"), pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser_page(tmp_path):
    """`(page, errors, start)`: a fresh headless chromium page, the page's errors, and when it was asked for."""
    start = time.monotonic()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail(f"Playwright is not installed ({sys.executable} -m pip install '.[dev]').")
    chromium = _chromium_path()
    if chromium is None:
        _skip_or_fail("no chromium found (as root: apt-get install -y chromium; or set NANOKERAS_CHROMIUM).")
    errors = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path), executable_path=chromium, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1360, "height": 1000},
        )
        try:
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            yield page, errors, start
        finally:
            context.close()


def _pixels(path):
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def _changed_fraction(first, second):
    """The fraction of pixels whose colour differs noticeably between two screenshots of the same element."""
    a, b = _pixels(first), _pixels(second)
    assert a.shape == b.shape
    return float((np.abs(a - b).max(axis=-1) > 24).mean())


def test_pick_blobs_train_watch_and_run_the_code(browser_page, tmp_path):
    page, errors, start = browser_page
    shots = tempfile.mkdtemp(prefix="nanokeras-playground-screenshots-")
    print(f"\nplayground screenshots: {shots}")
    server = serve(port=0, open_browser=False, block=False)
    session = server.session
    try:
        page.goto(server.url)
        page.wait_for_selector("#dataset-blobs")
        page.click("#dataset-blobs")
        page.wait_for_function("document.querySelector('#code').textContent.includes('def blobs(')")
        page.wait_for_function("document.querySelector('#dataset-blobs').classList.contains('active')")
        page.wait_for_function("document.querySelector('#status').textContent === 'ready'")
        page.locator("#boundary").screenshot(path=os.path.join(shots, "1-untrained.png"))

        page.click("#train")
        page.wait_for_function("Number(document.querySelector('#epoch').textContent) >= 3")
        page.locator("#boundary").screenshot(path=os.path.join(shots, "2-training.png"))
        training_status = page.inner_text("#status")
        page.wait_for_function("document.querySelector('#status').textContent === 'done'", timeout=40000)
        page.locator("#boundary").screenshot(path=os.path.join(shots, "3-trained.png"))
        page.screenshot(path=os.path.join(shots, "page.png"), full_page=True)

        moved_while_training = _changed_fraction(os.path.join(shots, "1-untrained.png"),
                                                 os.path.join(shots, "2-training.png"))
        moved_overall = _changed_fraction(os.path.join(shots, "1-untrained.png"), os.path.join(shots, "3-trained.png"))
        assert training_status == "training"
        assert moved_while_training > 0.05 and moved_overall > 0.05, (moved_while_training, moved_overall, shots)

        epochs = session.recipe.settings.epochs
        assert page.inner_text("#epoch") == str(epochs)
        shown = {name: float(page.inner_text(f"#{name}")) for name in ("train-accuracy", "test-accuracy")}
        assert shown["test-accuracy"] >= 0.9 and shown["train-accuracy"] >= 0.9, shown
        assert shown["test-accuracy"] == pytest.approx(session.history["val_accuracy"][-1], abs=5e-4)

        code = page.text_content("#code")  # what a learner copies
        result, stdout = run_program(code, tmp_path / "result.json", cwd=str(tmp_path))
        settings = session.recipe.settings
        assert settings.dataset == "blobs"
        assert result["params"] == {"epochs": settings.epochs,
                                    "steps": -(-len(session.data[0][0]) // settings.batch_size)}
        ours = [("Dense", units, settings.activation, None) for units in settings.hidden] + [
            ("Dense", 1, "sigmoid", None)]
        assert layer_summary(result["layers"]) == ours
        assert result["optimizer"] == "Adam" and result["learning_rate"] == pytest.approx(settings.learning_rate)
        for name, values in session.history.items():  # the same configuration trains the same numbers
            np.testing.assert_allclose(result["history"][name], values, rtol=0, atol=1e-6, err_msg=name)
        assert f"test accuracy: {result['history']['val_accuracy'][-1]}" in stdout

        bad = tmp_path / "two_columns.csv"
        bad.write_text("1,2\n3,4\n")
        page.set_input_files("#upload", str(bad))  # refused with a message; the page goes on
        page.wait_for_function("document.querySelector('#message').textContent.includes('expected 3')")
        assert page.inner_text("#status") == "done"

        page.click("#step")  # after the end: new weights, one epoch, pause
        page.wait_for_function("document.querySelector('#status').textContent === 'paused'")
        assert page.inner_text("#epoch") == "1"
        page.click("#reset")
        page.wait_for_function("document.querySelector('#status').textContent === 'ready'")
        assert page.is_hidden("#message")  # cleared by the next accepted request
        assert [error for error in errors if "400 (Bad Request)" not in error] == []
    finally:
        server.stop()
    elapsed = time.monotonic() - start
    print(f"playground browser test: {elapsed:.1f} s, browser start included")
    assert elapsed <= TIME_LIMIT
