"""The API docs page (Swagger UI at /stream/0/docs) in real Chromium against a real server: every
operation of the schema is listed, under its tag in the schema's order, with its summary, and
nothing is fetched from outside the server."""

from __future__ import annotations

import json
import urllib.request

import pytest

from .browsers import browser, new_page, server  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# The operations Swagger UI has drawn now: tag (from the operation's link), method, path, summary.
# A large spec is drawn lazily, near the viewport, so the test scrolls and collects.
DRAWN_JS = """
() => Array.from(document.querySelectorAll(".opblock")).map((block) => ({
  tag: decodeURIComponent(block.querySelector(".opblock-summary-path a").hash.split("/")[1]),
  method: block.querySelector(".opblock-summary-method").innerText.trim().toLowerCase(),
  path: block.querySelector(".opblock-summary-path").dataset.path,
  summary: (block.querySelector(".opblock-summary-description") || {}).innerText || "",
}))
"""


def listed_operations(page) -> list[dict]:
    """Every operation the page lists, top to bottom, scrolling through it."""
    seen: list[dict] = []
    page.wait_for_selector(".opblock")
    while True:
        for op in page.evaluate(DRAWN_JS):
            if op not in seen:
                seen.append(op)
        at_bottom = page.evaluate(
            "() => window.scrollY + window.innerHeight >= document.body.scrollHeight - 2"
        )
        if at_bottom:
            return seen
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)


def test_docs_page_lists_every_operation_with_its_summary(browser, server, tmp_path):  # noqa: F811
    with urllib.request.urlopen(f"{server}/stream/0/openapi.json") as response:
        schema = json.load(response)
    expected = [
        {"tag": op["tags"][0], "method": method, "path": path, "summary": op["summary"]}
        for path, operations in schema["paths"].items()
        for method, op in operations.items()
    ]
    outside: list[str] = []
    page = new_page(browser, server, outside)

    page.goto(f"{server}/stream/0/docs")
    page.wait_for_selector(".opblock")
    page.screenshot(path=str(tmp_path / "docs.png"))
    listed = listed_operations(page)

    by_tag = sorted(expected, key=lambda op: [t["name"] for t in schema["tags"]].index(op["tag"]))
    assert [op for op in by_tag if op not in listed] == []  # every operation is listed
    assert listed == by_tag  # under its tag, in the schema's order
    assert all(op["summary"].strip() for op in listed)
    assert page.locator(".info .version").first.inner_text().strip() == schema["info"]["version"]
    assert outside == []
