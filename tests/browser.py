"""What every real-browser test needs: Debian's Chromium driven by Selenium, and the app under uvicorn.

Browsers that download themselves cannot work here, so the tests use the `chromium` and
`chromedriver` packages (`.ci/run` installs them) and are skipped with the reason when either
is missing. `CHROMIUM_BINARY` and `CHROMEDRIVER` point elsewhere when needed.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

# no background traffic of the browser's own: a request a test sees is one the page made
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-features=Translate,OptimizationHints,MediaRouter")


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
