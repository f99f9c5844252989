"""What every real-browser test needs: Debian's Chromium driven by Selenium, and the app under uvicorn.

Browsers that download themselves cannot work here, so the tests use the `chromium` and
`chromedriver` packages (`.ci/run` installs them) and are skipped with the reason when either
is missing. `CHROMIUM_BINARY` and `CHROMEDRIVER` point elsewhere when needed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.ingest import load_sample
from graph_api.store import open_store

# no background traffic of the browser's own: a request a test sees is one the page made
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-features=Translate,OptimizationHints,MediaRouter")

SIZES = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
NULLISH = re.compile(r"\b(null|undefined)\b")
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "frontends"


def browser_paths() -> tuple[str, str] | None:
    chromium = os.environ.get("CHROMIUM_BINARY") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def skip_reason() -> str:
    """Why browser tests cannot run here ('' when they can)."""
    if browser_paths() is None:
        return "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return ""


needs_browser = pytest.mark.skipif(bool(skip_reason()), reason=skip_reason() or "browser present")


@contextmanager
def serving(app: Any) -> Iterator[str]:  # noqa: ANN401 - any ASGI app
    """`app` under uvicorn on a free loopback port, for as long as the block runs; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serving_sample(directory: Path) -> Iterator[str]:
    """The real app under uvicorn on a free port, on a fresh LadybugDB in `directory` loaded with the sample."""
    store = open_store(Settings(store="ladybug", db_path=str(directory / "graph.lbdb")))
    load_sample(store)
    try:
        with serving(create_app(Settings(), store=store)) as base:
            yield base
    finally:
        store.close()


@contextmanager
def chromium(profile: Path, *, window: str = "1280,1000", performance_log: bool = False) -> Iterator[Any]:
    """A headless Chromium with its console log (and, on request, its network log) readable."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = browser_paths() or ("", "")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={window}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", **({"performance": "ALL"} if performance_log
                                                                        else {})})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def open_at_size(driver: Any, url: str, size: str) -> None:  # noqa: ANN401 - a Selenium driver
    """A fresh page load at `size` (phone: touch, device pixel ratio 3), logs emptied first."""
    width, height, mobile = SIZES[size]
    driver.get("about:blank")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 3 if mobile else 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile})
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(url)


def wait_for(driver: Any, script: str, what: str, timeout: float = 30) -> Any:  # noqa: ANN401
    """Polls `script` in the page until it returns something truthy; returns that."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
        lambda d: d.execute_script(script), message=f"timed out waiting for {what}")


def wait_ready(driver: Any, route: str) -> None:  # noqa: ANN401
    """Waits until the Explorer page of `route` (its data-route) has finished rendering."""
    wait_for(driver, f"const p = document.querySelector('.page[data-route=\"{route}\"]');"
                     " return p && p.dataset.ready === 'true';", f"the {route} page")


def assert_clean(driver: Any, base: str, name: str, screenshots: Path = SCREENSHOTS) -> None:  # noqa: ANN401
    """No request to another origin, no console error, no "null"/"undefined" on the page (needs the
    performance log: `chromium(..., performance_log=True)`); saves a screenshot as `name`."""
    origin = urlsplit(base)._replace(path="", query="", fragment="").geturl()
    requests = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"]
    foreign = [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and not u.startswith(origin + "/")]
    assert foreign == [], f"{name}: requests to other origins: {foreign}"
    assert any(u.startswith(origin + "/") for u in urls), f"{name}: no request was seen at all"
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], f"{name}: console errors: {errors}"
    text = driver.execute_script("return document.body.innerText")
    shown = [text[max(0, m.start() - 40):m.end() + 40] for m in NULLISH.finditer(text)]
    assert shown == [], f"{name}: the page shows null/undefined: {shown}"
    screenshots.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(screenshots / f"{name}.png"))
