"""What the browser and HTML-checking tests need, and how they behave when it is missing.

On a developer's machine a missing tool skips those tests with the reason; with CI set,
it fails them, so a CI run can never pass by checking nothing.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


def require(available: bool, what: str) -> None:
    if available:
        return
    message = f"{what} is missing (run `npm ci --ignore-scripts`; apt-get install chromium default-jre-headless)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_java_and_vnu() -> None:
    require(shutil.which("java") is not None, "java")
    require(VNU_JAR.is_file(), str(VNU_JAR))


def require_chromium() -> None:
    require(CHROMIUM.is_file(), str(CHROMIUM))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        require(False, "playwright (Python)")


@contextmanager
def chromium_page(*, width: int = 1280, height: int = 900, bypass_csp: bool = False):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": width, "height": height}, bypass_csp=bypass_csp
            )
            yield page
        finally:
            browser.close()


def artifact_dir(name: str) -> Path:
    path = ARTIFACTS / name
    path.mkdir(parents=True, exist_ok=True)
    return path


# Recorded before any script of the page runs, so even a violation during parsing counts.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


class PolicyWatch:
    """Every Content Security Policy violation a page reports, by event and on the console."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_CSP_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        reported = self.page.evaluate("window.__cspViolations || []")
        found = [*reported, *self.console]
        self.console = []
        return found
