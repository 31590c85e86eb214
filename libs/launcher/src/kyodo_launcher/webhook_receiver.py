"""A partner's webhook endpoint for tests and benchmarks, on a loopback port: records every
request with the time it arrived; ``answer`` decides the status (it may sleep, or return raw
bytes that are not HTTP); ``down()`` closes the socket and every kept-alive connection, so
the sender gets "connection refused" until ``up()``."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kyodo_launcher.ports import free_port


@dataclass
class Receiver:
    """A partner's endpoint on 127.0.0.1."""

    port: int = field(default_factory=free_port)
    received: list[tuple[dict[str, str], bytes, float]] = field(default_factory=list)
    answer: Callable[[dict[str, str], bytes], Any] | None = None
    _server: asyncio.AbstractServer | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def down(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None
        for writer in list(self._writers):  # kept-alive connections go down too
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip() for k, _, v in
                           (line.partition(":") for line in lines[1:] if line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.received.append((headers, body, time.monotonic()))
                status: Any = 200
                if self.answer is not None:
                    status = self.answer(headers, body)
                    if asyncio.iscoroutine(status):
                        status = await status
                if isinstance(status, bytes):  # not HTTP: said, then hung up
                    writer.write(status)
                    await writer.drain()
                    break
                else:
                    extra = "Location: http://127.0.0.1:1/\r\n" if 300 <= status < 400 else ""
                    writer.write(f"HTTP/1.1 {status} X\r\n{extra}Content-Length: 0\r\n\r\n"
                                 .encode())
                await writer.drain()
                if self._server is None:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError,
                asyncio.CancelledError):
            pass  # the sender hung up, or the receiver is going down
        finally:
            self._writers.discard(writer)
            writer.close()
