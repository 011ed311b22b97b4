"""An aiosmtpd handler for the tests' SMTP server: it stores each message exactly as it was received, in a Maildir.

aiosmtpd's own Mailbox handler parses every message with Python's email package and writes it out again; at the
payout pipeline's rates that parsing cost the SMTP server more CPU than the SMTP conversation itself
(docs/performance.md). This one writes the received bytes to tmp/ and renames them into new/ (Maildir delivery),
before it replies 250, so a message the client has seen accepted is already in new/.
"""
import os
import socket
import time


class RawMaildir:
    def __init__(self, path):
        self.path = path
        for folder in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, folder), exist_ok=True)
        self.delivered = 0

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("RawMaildir takes one argument: the Maildir's directory")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        self.delivered += 1
        name = f"{time.time_ns()}.P{os.getpid()}Q{self.delivered}.{socket.gethostname()}"
        temporary = os.path.join(self.path, "tmp", name)
        with open(temporary, "wb") as message:
            message.write(envelope.original_content)
        os.rename(temporary, os.path.join(self.path, "new", name))
        return "250 Message accepted for delivery"
