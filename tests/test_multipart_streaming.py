"""The files endpoint's multipart parser (``adn_api/uploads.py``), fed as a socket feeds it: in
pieces of any size, into a small buffer, with a file holding what looks like boundaries."""

from __future__ import annotations

import os
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart

from adn_api.uploads import MultipartError, parse_multipart


class Sink:
    def __init__(self, filename: str):
        self.filename = filename
        self.data = bytearray()
        self.closed = self.discarded = False

    def write(self, data) -> None:
        self.data += data

    def close(self) -> None:
        self.closed = True

    def discard(self) -> None:
        self.discarded = True


def pieces(body: bytes, seed: int):
    """A reader handing the body over in pieces of random length, as recv() does."""
    chance = random.Random(seed)
    position = 0

    def fill(view: memoryview) -> int:
        nonlocal position
        size = min(len(view), chance.randint(1, 700), len(body) - position)
        view[:size] = body[position : position + size]
        position += size
        return size

    return fill


def parse(body: bytes, seed: int = 0, buffer: int = 512, sinks: list | None = None):
    taken = sinks if sinks is not None else []

    def receive(field: str, filename: str):
        if field != "content":
            return None
        taken.append(Sink(filename))
        return taken[-1]

    return parse_multipart(
        pieces(body, seed), len(body), BOUNDARY.encode(), receive, bytearray(buffer)
    )


@pytest.mark.parametrize("seed", range(5))
def test_a_file_and_fields_come_out_as_they_went_in(seed):
    boundary = f"\r\n--{BOUNDARY}".encode()
    content = os.urandom(3000) + boundary[:-1] + b"x" + boundary[:7] + os.urandom(2000) + b"\r\n"
    body = encode_multipart(
        BOUNDARY,
        {
            "type": "com.example.t",
            "content": SimpleUploadedFile("a.bin", content),
            "other": SimpleUploadedFile("b.bin", b"not taken"),
            "name": "ünïcode name",
            "annotations": '[{"type": "x", "value": {}}]',
        },
    )
    parsed = parse(body, seed)
    assert parsed.data.dict() == {
        "type": "com.example.t",
        "name": "ünïcode name",
        "annotations": '[{"type": "x", "value": {}}]',
    }
    (sink,) = parsed.files.getlist("content")
    assert bytes(sink.data) == content and sink.filename == "a.bin" and sink.closed
    assert "other" not in parsed.files


@pytest.mark.parametrize(
    "cut",
    [
        lambda body: body[: len(body) // 2],  # ended inside the file
        lambda body: body[: body.rindex(b"--")],  # no closing boundary
        lambda body: body.replace(b"Content-Disposition", b"Content-Dispositio"),
        lambda body: b"no boundary at all" + body[:100],
    ],
)
def test_a_malformed_body_is_refused_and_its_file_discarded(cut):
    body = encode_multipart(
        BOUNDARY,
        {"content": SimpleUploadedFile("a.bin", os.urandom(4000)), "type": "com.example.t"},
    )
    sinks = []
    with pytest.raises(MultipartError):
        parse(cut(body), sinks=sinks)
    assert all(sink.discarded for sink in sinks)
