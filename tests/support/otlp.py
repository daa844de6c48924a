"""A receiver on loopback for what a served app sends out, as its collectors would be: the
OpenTelemetry spans of ``POST /v1/traces`` (OTLP/HTTP, an ``ExportTraceServiceRequest`` in
protobuf), and every other POST's body by path (Sentry's envelopes, to ``/api/<project>/envelope/``
for a DSN ``http://<key>@<receiver>/<project>``)."""

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Span:
    """One span received: its name, ids (hex), parent's id (hex, "" for a root) and
    attributes (string values only)."""

    name: str
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, str] = field(default_factory=dict)


class Receiver:
    """The spans received so far, in arrival order, by a ``receiving`` server at ``endpoint``."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.spans: list[Span] = []
        self.posts: list[tuple[str, bytes]] = []
        self.lock = threading.Lock()

    def sentry_dsn(self, project: int = 1) -> str:
        """A Sentry DSN whose envelopes come here."""
        return self.endpoint.replace("http://", "http://public@") + f"/{project}"

    def add(self, body: bytes) -> None:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
            ExportTraceServiceRequest,
        )

        request = ExportTraceServiceRequest.FromString(body)
        received = [
            Span(
                span.name,
                span.trace_id.hex(),
                span.span_id.hex(),
                span.parent_span_id.hex(),
                {a.key: a.value.string_value for a in span.attributes if a.value.string_value},
            )
            for resource_spans in request.resource_spans
            for scope_spans in resource_spans.scope_spans
            for span in scope_spans.spans
        ]
        with self.lock:
            self.spans.extend(received)

    def received(self) -> list[Span]:
        """The spans received so far."""
        with self.lock:
            return list(self.spans)

    def posted(self) -> list[tuple[str, bytes]]:
        """Every other POST so far: its path and its body (ungzipped)."""
        with self.lock:
            return list(self.posts)


@contextmanager
def receiving() -> Iterator[Receiver]:
    """A receiver listening on a free loopback port for the block."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if self.path == "/v1/traces":
                receiver.add(body)
            else:
                with receiver.lock:
                    receiver.posts.append((self.path, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
