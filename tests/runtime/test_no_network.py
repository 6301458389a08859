"""Nothing leaves the machine: loading and generating open no socket."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(name: str):  # noqa: ANN202
        def blocked(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            attempts.append(f"{name}{args[1:2] or args[:1]}")
            raise NetworkAttempt(f"network access attempted: {name}")
        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_guard_catches_a_connection(no_network: list[str]) -> None:
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("127.0.0.1", 9))
    assert no_network


def test_loading_and_generating_open_no_socket(default_bundle: Path, no_network: list[str]) -> None:
    from models import Paraphraser

    paraphraser = Paraphraser.load(default_bundle)
    result = paraphraser.paraphrase("The library will stay open late during exams.", n=3, seed=2)
    assert result.candidates
    assert no_network == []
