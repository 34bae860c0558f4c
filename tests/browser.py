"""A headless chromium driven through the Chrome DevTools Protocol over a pipe (--remote-debugging-pipe:
stdlib only, no port), for the view's tests: every console message, exception, dialog and network request of
a page, mouse, keyboard, the page's own JavaScript objects and screenshots."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select as poll
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe"]
READY = """new Promise(r => { const t0 = Date.now(); const t = setInterval(() => {
  const ready = Boolean(window.kg && kg.ready);
  if (ready || Date.now() - t0 > 45000) { clearInterval(t); r(ready); } }, 20); })"""


# ------------------------------------------------------------------ a DevTools client over a pipe


class Browser:
    """One headless chromium for the session; `open` gives a fresh tab per page."""

    def __init__(self, chromium: str, profile: Path) -> None:
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()

        def on_fds_3_and_4() -> None:  # the protocol's pipe: chromium reads fd 3 and writes fd 4
            read, write = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser, from_browser))
            os.dup2(read, 3)  # dup2 makes 3 and 4 inheritable; every other descriptor is close-on-exec
            os.dup2(write, 4)

        self.process = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=on_fds_3_and_4)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._id, self.events = b"", 0, []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not poll.select([self._in], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium exited")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        if message.get("method") == "Page.javascriptDialogOpening":  # record it, and let the page go on
            self._write("Page.handleJavaScriptDialog", message.get("sessionId"), {"accept": True})
        return message

    def _write(self, method: str, session: str | None, params: dict) -> int:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params, **({"sessionId": session} if session else {})}
        os.write(self._out, json.dumps(message).encode() + b"\0")
        return self._id

    def send(self, method: str, session: str | None = None, timeout: float = 30, **params) -> dict:
        wanted = self._write(method, session, params)
        deadline = time.monotonic() + timeout
        while True:
            message = self._message(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait(self, method: str, session: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            found = next((e for e in self.events if e["method"] == method and e.get("sessionId") == session), None)
            if found:
                self.events.remove(found)
                return found
            message = self._message(deadline)
            if "method" in message:
                self.events.append(message)

    def open(self, page: Path, fragment: str = "", size: tuple[int, int] = (1400, 900), mobile: bool = False) -> Tab:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session)
        self.send("Emulation.setDeviceMetricsOverride", session, width=size[0], height=size[1], deviceScaleFactor=1,
                  mobile=mobile)
        if mobile:
            self.send("Emulation.setTouchEmulationEnabled", session, enabled=True, maxTouchPoints=5)
        self.send("Page.navigate", session, url=page.resolve().as_uri() + fragment)
        self.wait("Page.loadEventFired", session, timeout=60)
        tab = Tab(self, session, target)
        assert tab.js(READY, timeout=60), f"the page never became ready: {tab.problems()}"
        return tab

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
            self.process.wait(5)
        except (TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self.process.kill()
        os.close(self._in)
        os.close(self._out)


class Tab:
    """One page: run its JavaScript, use mouse and keyboard, and list what went wrong in it."""

    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser, self.session, self.target = browser, session, target

    def js(self, expression: str, timeout: float = 30):
        result = self.browser.send("Runtime.evaluate", self.session, timeout=timeout, expression=expression,
                                   awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def mouse(self, kind: str, x: float, y: float) -> None:
        self.browser.send("Input.dispatchMouseEvent", self.session, type=kind, x=x, y=y, button="left",
                          clickCount=1 if kind != "mouseMoved" else 0)

    def node_at(self, node: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        x, y = self.js(f"""(() => {{ const p = kg.network.canvasToDOM(kg.network.getPosition({json.dumps(node)}));
            const box = document.getElementById("kg-network").getBoundingClientRect();
            return [p.x + box.left, p.y + box.top]; }})()""")
        return x, y

    def hover(self, node: str) -> str:
        """The tooltip shown when the mouse rests on a node."""
        x, y = self.node_at(node)
        self.mouse("mouseMoved", x - 30, y - 30)
        self.mouse("mouseMoved", x, y)
        return self.js("""new Promise(r => { const t0 = Date.now(); const t = setInterval(() => {
            const tip = document.querySelector("div.vis-tooltip");
            if ((tip && tip.style.visibility === "visible") || Date.now() - t0 > 3000) {
              clearInterval(t); r(tip ? tip.innerText : ""); } }, 20); })""")

    def click(self, node: str) -> None:
        x, y = self.node_at(node)
        self.mouse("mousePressed", x, y)
        self.mouse("mouseReleased", x, y)
        self.js("new Promise(r => setTimeout(r, 50))")

    def tap(self, x: float, y: float) -> None:
        """A finger's tap (touch events, as on a phone)."""
        self.browser.send("Input.dispatchTouchEvent", self.session, type="touchStart", touchPoints=[{"x": x, "y": y}])
        self.browser.send("Input.dispatchTouchEvent", self.session, type="touchEnd", touchPoints=[])
        self.js("new Promise(r => setTimeout(r, 100))")

    def press(self, key: str) -> None:
        """One key (ArrowDown, Enter, …) pressed and released in the focused element."""
        codes = {"ArrowDown": 40, "ArrowUp": 38, "Enter": 13, "Escape": 27}
        for kind in ("rawKeyDown", "keyUp"):
            self.browser.send("Input.dispatchKeyEvent", self.session, type=kind, key=key, code=key,
                              windowsVirtualKeyCode=codes.get(key, 0))

    def type(self, selector: str, text: str) -> None:
        self.js(f"document.querySelector({json.dumps(selector)}).focus()")
        self.browser.send("Input.insertText", self.session, text=text)

    def panel(self) -> str:
        return self.js("document.getElementById('kg-panel').innerText")

    def problems(self) -> list[str]:
        """Console errors, exceptions, dialogs (alert…) and requests for anything but the page itself."""
        found = []
        for e in self.browser.events:
            if e.get("sessionId") != self.session:
                continue
            method, p = e["method"], e["params"]
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {p['exceptionDetails'].get('exception', {}).get('description')}")
            elif method == "Runtime.consoleAPICalled" and p["type"] in {"error", "assert"}:
                found.append(f"console.{p['type']}: {[a.get('value') for a in p['args']]}")
            elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
                found.append(f"log: {p['entry']['text']}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {p['type']} {p['message']}")
            elif method == "Network.requestWillBeSent" and not p["request"]["url"].startswith("file:"):
                found.append(f"request: {p['request']['url']}")
        return found

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.browser.send("Page.captureScreenshot", self.session)["data"]))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", targetId=self.target)


def install_chromium() -> str:
    """Debian's chromium, installed by the project's script when missing."""
    try:
        result = subprocess.run(["bash", str(ROOT / "scripts" / "browser.sh")], capture_output=True, text=True,
                                timeout=900)
    except subprocess.TimeoutExpired:
        pytest.skip("installing chromium (scripts/browser.sh) took more than 15 minutes")
    if result.returncode != 0 or not result.stdout.strip():
        pytest.skip(f"chromium could not be installed by scripts/browser.sh: {result.stderr.strip()[-300:]}")
    return result.stdout.strip().splitlines()[-1]
