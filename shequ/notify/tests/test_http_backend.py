"""The SMS gateway backend against a local HTTP server (no outside network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from shequ.notify.backends import DeliveryError, HttpSmsBackend, PermanentDeliveryError
from shequ.notify.models import Message
from shequ.notify.tests.conftest import queue
from shequ.orgs.models import OrgUnit


class Gateway(HTTPServer):
    answer_status = 200
    requests: list[dict[str, Any]]


class Handler(BaseHTTPRequestHandler):
    server: Gateway

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.requests.append(
            {"headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
        )
        self.send_response(self.server.answer_status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "gw-42"}')

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway(("127.0.0.1", 0), Handler)
    server.requests = []
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def backend(gateway: Gateway) -> HttpSmsBackend:
    return HttpSmsBackend(f"http://127.0.0.1:{gateway.server_port}/send", "s3cret", 2)


def test_it_posts_the_text_with_token_and_idempotency_key(
    gateway: Gateway, guanpo: OrgUnit
) -> None:
    message: Message = queue(guanpo, 5)
    assert backend(gateway).send(message) == "gw-42"
    [request] = gateway.requests
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Idempotency-Key"] == f"shequ-{message.pk}"
    assert request["body"] == {
        "to": "13907180019",
        "text": "【社区服务】测试消息 5。",
        "id": f"shequ-{message.pk}",
    }


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, DeliveryError), (429, DeliveryError), (400, PermanentDeliveryError)],
)
def test_it_classifies_gateway_errors(
    gateway: Gateway, guanpo: OrgUnit, status: int, error: type[Exception]
) -> None:
    gateway.answer_status = status
    with pytest.raises(error) as caught:
        backend(gateway).send(queue(guanpo))
    assert isinstance(caught.value, PermanentDeliveryError) == (error is PermanentDeliveryError)


def test_an_unreachable_gateway_is_a_retryable_error(guanpo: OrgUnit) -> None:
    dead = HttpSmsBackend("http://127.0.0.1:9/send", "t", 1)
    with pytest.raises(DeliveryError) as caught:
        dead.send(queue(guanpo))
    assert not isinstance(caught.value, PermanentDeliveryError)
