"""Transcripts are confidential: no command opens a network connection."""

from __future__ import annotations

import socket

import pytest
from helpers import write


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_a_whole_analysis_makes_no_network_connection(run, tmp_path, no_network):
    run("init", "alliance", "--analyst", "Maya")
    write(tmp_path / "P1.txt", "Interviewer: How was it?\nP1: Hard, at first. Then the rupture became the work.\n")
    steps = [
        ("transcript", "import", "P1.txt"),
        ("transcript", "search", "rupture"),
        ("code", "apply", "Rupture", "--new", "-t", "P1", "--match", "the rupture became the work"),
        ("theme", "add", "Rupture as work"),
        ("theme", "assign", "Rupture", "--to", "Rupture as work"),
        ("map", "--out", "exports/map.png"),
        ("report",),
        ("export", "qdpx"),
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)
    assert no_network == []
