"""The real app served over HTTP on 127.0.0.1, so a real browser can use it (tests and bench)."""
from __future__ import annotations

import logging
import threading

from flask import Flask, got_request_exception
from werkzeug.serving import make_server


class LiveServer:
    """Serves `app` from a background thread on a free port; records server-side exceptions."""

    def __init__(self, app: Flask):
        self.app = app
        self.errors: list[BaseException] = []
        # Port 0: the OS picks a free port, so parallel runs never clash.
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # QR codes and printed URLs must point at this server, or a scanned code leads nowhere.
        app.config["PUBLIC_BASE_URL"] = self.url
        got_request_exception.connect(self._record_error, app)
        # A short poll interval: shutdown() waits for one poll, and every test shuts a server down.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="live-server", daemon=True)

    def _record_error(self, _sender, exception: BaseException, **_extra) -> None:
        self.errors.append(exception)

    def __enter__(self) -> "LiveServer":
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        got_request_exception.disconnect(self._record_error, self.app)

    def __call__(self, path: str) -> str:
        return self.url + path
