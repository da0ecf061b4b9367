"""twitter-text's conformance suite (extract.yml), run through entities.core.parse_text.

Every case of the groups App.net's entities answer is run; a case passes when parse_text gives
Twitter's answer, or, for the few cases listed in APP_NET_DIFFERENCES, App.net's own answer with
the rule of ../shared/CONTRACT.md that decides it. Skipped: the Twitter-only groups named in
conformance.SKIPPED_GROUPS (cashtags, lists, replies, t.co's URL parameters).

The scores per group are also held against those of the PyPI port of twitter-text (package
``twitter-text`` 3.0, run on this same file outside the project): none may fall below it.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conformance import GROUPS, SKIPPED_GROUPS, extract, load_cases

CASES = load_cases()

# (group, description) -> (App.net's answer, the rule that gives it).
APP_NET_DIFFERENCES: dict[tuple[str, str], tuple[Any, str]] = {
    ("hashtags", "DO NOT extract hashtags without a letter"): (
        ["_", "1_2"],
        "CONTRACT §4: a hashtag is letters, digits and '_', not all digits; '#_' and '#1_2' are "
        "not all digits (Twitter wants a letter).",
    ),
}

# What the PyPI port `twitter-text` 3.0 passes of each group (it is not a project dependency;
# measured by running this file through twitter_text.extractor.Extractor).
PORT_SCORES = {
    "mentions": 20,
    "mentions_with_indices": 3,
    "urls": 78,
    "urls_with_indices": 10,
    "urls_with_directional_markers": 1,
    "hashtags": 52,
    "hashtags_from_astral": 1,
    "hashtags_with_indices": 8,
}


def expected(group: str, case: dict[str, Any]) -> Any:
    difference = APP_NET_DIFFERENCES.get((group, case["description"]))
    return case["expected"] if difference is None else difference[0]


def case_params() -> list[Any]:
    return [
        pytest.param(group, case, id=f"{group}: {case['description']}")
        for group in GROUPS
        for case in CASES[group]
    ]


@pytest.mark.parametrize(("group", "case"), case_params())
def test_case(group, case):
    assert extract(group, case["text"]) == expected(group, case)


def test_every_group_of_the_file_is_run_or_named_as_skipped():
    assert set(CASES) == set(GROUPS) | set(SKIPPED_GROUPS)
    assert sum(len(CASES[group]) for group in GROUPS) == 205


def test_the_differences_are_few_real_cases_each_with_a_rule():
    assert len(APP_NET_DIFFERENCES) <= 8
    descriptions = {(group, case["description"]) for group in GROUPS for case in CASES[group]}
    for key, (answer, rule) in APP_NET_DIFFERENCES.items():
        assert key in descriptions, key
        assert "CONTRACT §" in rule
        case = next(c for c in CASES[key[0]] if c["description"] == key[1])
        assert answer != case["expected"]  # a listed difference really differs


def test_every_group_scores_at_least_what_the_pypi_port_scores():
    for group in GROUPS:
        twitter_answers = sum(extract(group, c["text"]) == c["expected"] for c in CASES[group])
        assert twitter_answers >= PORT_SCORES[group], group
