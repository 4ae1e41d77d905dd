"""A real SMTP server on loopback for Hearsay's mail tests (aiosmtpd).

Delivers into a Maildir and can misbehave on request, so the tests see what
real servers do: refuse for a while, refuse for good, or accept a message
and drop the connection before replying.

    python3 tests/smtp/server.py --port P --maildir DIR [faults]

Prints "READY <port>" once it accepts connections; stops when stdin closes
(the test that started it went away) or on SIGTERM.
"""

import argparse
import asyncio
import mailbox
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.args = args
        self.maildir = mailbox.Maildir(args.maildir, create=True)
        self.data_commands = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_commands += 1
            n = self.data_commands
        if n <= self.args.fail_451:
            return "451 4.3.0 Try again later (test fault)"
        if self.args.fail_554:
            return "554 5.7.1 Message refused (test fault)"
        self.maildir.add(envelope.original_content or envelope.content)
        if n <= self.args.drop_after_data:
            # Accepted and stored, but the client never hears so.
            server.transport.abort()
            return "250 2.0.0 (never sent: connection dropped)"
        return "250 2.0.0 Ok: queued"


def authenticator(expected):
    user, _, password = expected.partition(":")

    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok)

    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--fail-451", type=int, default=0, help="answer the first N DATA with 451")
    p.add_argument("--fail-554", action="store_true", help="answer every DATA with 554")
    p.add_argument("--drop-after-data", type=int, default=0,
                   help="store the first N messages, then drop the connection before replying")
    p.add_argument("--tls-cert", help="offer and require STARTTLS with this certificate")
    p.add_argument("--tls-key")
    p.add_argument("--auth", help="require AUTH as user:password")
    args = p.parse_args()

    kwargs = {}
    if args.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if args.auth:
        kwargs.update(
            authenticator=authenticator(args.auth),
            auth_required=True,
            auth_require_tls=bool(args.tls_cert),
        )
    controller = Controller(Handler(args), hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()
    print(f"READY {args.port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
