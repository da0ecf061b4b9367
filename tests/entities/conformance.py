"""Runs a case of twitter-text's conformance file (extract.yml) through entities.core.

The file states Twitter's answers; this module asks ``parse_text`` the same question and
returns its answer in the file's shape, so a case passes when the two are equal. Every name
that looks like a mention is treated as an existing user: the file tests where mentions are,
not who exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from entities.core import mention_candidates, parse_text

EXTRACT_YML = Path(__file__).with_name("extract.yml")

# The groups that App.net's entities answer. The others are Twitter-only: cashtags ($TWTR),
# lists (@user/list), replies (Twitter's in_reply_to; App.net has is_leading instead, covered
# in test_parsing) and t.co's own URL parameters.
GROUPS = (
    "mentions",
    "mentions_with_indices",
    "urls",
    "urls_with_indices",
    "urls_with_directional_markers",
    "hashtags",
    "hashtags_from_astral",
    "hashtags_with_indices",
)
SKIPPED_GROUPS = (
    "mentions_or_lists_with_indices",
    "replies",
    "tco_urls_with_params",
    "cashtags",
    "cashtags_with_indices",
)


def load_cases() -> dict[str, list[dict[str, Any]]]:
    with EXTRACT_YML.open(encoding="utf-8") as f:
        return yaml.safe_load(f)["tests"]


def extract(group: str, text: str) -> Any:
    """``parse_text``'s answer to one case of ``group``, in extract.yml's shape."""
    known = {name: (i + 1, name) for i, name in enumerate(sorted(mention_candidates(text)))}
    parsed = parse_text(text, known_users=known)
    entities = parsed.entities
    if group.startswith("mentions"):
        found = [
            (m["pos"], m["len"], parsed.text[m["pos"] + 1 : m["pos"] + m["len"]])
            for m in entities["mentions"]
        ]
        if group == "mentions":
            return [name for _, _, name in found]
        return [{"screen_name": name, "indices": [p, p + n]} for p, n, name in found]
    if group.startswith("urls"):
        if group == "urls":
            return [link["text"] for link in entities["links"]]
        return [
            {"url": link["text"], "indices": [link["pos"], link["pos"] + link["len"]]}
            for link in entities["links"]
        ]
    if group == "hashtags_with_indices":
        return [
            {"hashtag": tag["name"], "indices": [tag["pos"], tag["pos"] + tag["len"]]}
            for tag in entities["hashtags"]
        ]
    return [tag["name"] for tag in entities["hashtags"]]
