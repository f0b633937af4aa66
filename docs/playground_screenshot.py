"""Retakes docs/playground.png, the README's picture of the playground.

Needs Playwright (`pip install '.[dev]'`) and a chromium (`apt-get install chromium`, or
NANOKERAS_CHROMIUM=/path/to/chrome). Run from the repository: python docs/playground_screenshot.py
"""

import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from nanokeras.playground import serve  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(path=os.path.join(ROOT, "docs", "playground.png"), width=1000):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("NANOKERAS_CHROMIUM", "/usr/bin/chromium")
    server = serve(open_browser=False, block=False)
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
            context = playwright.chromium.launch_persistent_context(
                os.path.join(folder, "profile"), executable_path=chromium, headless=True, args=FLAGS,
                viewport={"width": 1360, "height": 1000}, device_scale_factor=1)
            page = context.new_page()
            page.goto(server.url)
            page.wait_for_selector("#dataset-moons")
            page.click("#train")
            page.wait_for_function("document.querySelector('#status').textContent === 'done'", timeout=60000)
            page.wait_for_timeout(300)
            height = page.evaluate("document.querySelector('.code-panel').getBoundingClientRect().top + 360")
            raw = os.path.join(folder, "raw.png")
            page.screenshot(path=raw, full_page=True, clip={"x": 0, "y": 0, "width": 1360, "height": height})
            context.close()
            with Image.open(raw) as image:
                small = image.convert("RGB").resize((width, round(image.height * width / image.width)),
                                                    Image.LANCZOS)
            temporary = path + ".tmp.png"
            small.quantize(colors=192, method=Image.MEDIANCUT).save(temporary, optimize=True)
            os.replace(temporary, path)
    finally:
        server.stop()
    print(f"wrote {path} ({os.path.getsize(path) // 1024} KiB)")


if __name__ == "__main__":
    main()
