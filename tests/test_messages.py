"""The message catalogue: every entry has Chinese and English with the same parameters."""

from __future__ import annotations

import re

import pytest

from geo.messages import MESSAGES, placeholders, t

CJK = re.compile(r"[\u4e00-\u9fff\uff00-\uffef]")  # Chinese, or its full-width punctuation around parameters


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_chinese_with_an_english_translation_taking_the_same_parameters(key):
    entry = MESSAGES[key]
    assert CJK.search(entry["zh"]), f"{key}: the Chinese text has no Chinese in it"
    assert entry.get("en"), f"{key}: no English translation"
    assert placeholders(entry["zh"]) == placeholders(entry["en"])


def test_a_message_is_chinese_unless_english_is_asked_for():
    assert CJK.search(t("error.internal"))
    assert not CJK.search(t("error.internal", lang="en"))
