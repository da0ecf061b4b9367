"""The API docs page (Swagger UI at /stream/0/docs) in real Chromium against a real server: every
operation of the schema is listed, under its tag in the schema's order, with its summary, and
nothing is fetched from outside the server."""

from __future__ import annotations

import json
import urllib.request

import pytest

from .browsers import browser, new_page, server  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Each listed operation as Swagger UI draws it: its tag section, method, path and summary.
LISTED_JS = """
() => Array.from(document.querySelectorAll(".opblock-tag-section")).flatMap((section) => {
  const tag = section.querySelector(".opblock-tag").dataset.tag;
  return Array.from(section.querySelectorAll(".opblock")).map((block) => ({
    tag: tag,
    method: block.querySelector(".opblock-summary-method").innerText.trim().toLowerCase(),
    path: block.querySelector(".opblock-summary-path").dataset.path,
    summary: (block.querySelector(".opblock-summary-description") || {}).innerText || "",
  }));
})
"""


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
    page.wait_for_function(
        f"() => document.querySelectorAll('.opblock').length === {len(expected)}", timeout=30_000
    )
    listed = page.evaluate(LISTED_JS)
    page.screenshot(path=str(tmp_path / "docs.png"))

    by_tag = sorted(expected, key=lambda op: [t["name"] for t in schema["tags"]].index(op["tag"]))
    assert listed == by_tag
    assert all(op["summary"].strip() for op in listed)
    assert page.locator(".info .version").first.inner_text().strip() == schema["info"]["version"]
    assert outside == []
