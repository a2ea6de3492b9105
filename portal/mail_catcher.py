"""A local SMTP server for development: saves every email it receives as an .eml file.

    python -m portal.mail_catcher --port 1025 --directory instance/mail

`make run` starts it so that routed emails can be read without a real mail server.
"""

import argparse
import asyncio
import re
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class SaveToFolder:
    """aiosmtpd handler: one file per message, named by time and Message-ID."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        match = re.search(rb"^Message-ID:\s*<([^>]+)>", content, re.IGNORECASE | re.MULTILINE)
        message_id = re.sub(r"[^A-Za-z0-9._-]", "_", match.group(1).decode("ascii", "replace")) if match else "no-id"
        path = self.directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{message_id}.eml"
        path.write_bytes(content)
        print(f"mail catcher: saved an email to {', '.join(envelope.rcpt_tos)} as {path}", flush=True)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--directory", type=Path, default=Path("instance/mail"))
    args = parser.parse_args()
    controller = Controller(SaveToFolder(args.directory), hostname=args.host, port=args.port)
    controller.start()
    print(f"mail catcher: listening on {args.host}:{args.port}, saving to {args.directory}/", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
