"""A real local SMTP server (aiosmtpd) for tests that follow mail: what arrived, and its links."""
from __future__ import annotations

import re
import socket
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_config(port: int) -> dict:
    """The app settings that send the outbox to the local server."""
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_STARTTLS": False, "SMTP_TIMEOUT": 5}


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy)))
        return "250 OK"

    def link_to(self, address: str, path: str) -> str:
        """The path of the newest link of this kind in the newest mail to this address."""
        for recipients, message in reversed(self.messages):
            if address in recipients:
                match = re.search(rf"https?://[^/\s]+({path}/[A-Za-z0-9_.-]+)", message.get_content())
                assert match, f"no {path} link in the mail to {address}"
                return match.group(1)
        raise AssertionError(f"no mail to {address}; mail went to {[r for r, _ in self.messages]}")


@contextmanager
def running_inbox(port: int):
    """The server on 127.0.0.1:`port` for as long as the block runs; yields what it received."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()
