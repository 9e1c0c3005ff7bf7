"""The one boolean reader (geo/parsing.py): its spellings, in any case, and its refusal of anything else."""

from __future__ import annotations

import re

import pytest

from geo.parsing import BoolRefused, parse_bool

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("text", ["true", "TRUE", "True", "1", "yes", "Yes", "on", "ON", " true ", "是"])
def test_the_spellings_of_true(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["false", "FALSE", "False", "0", "no", "NO", "off", "Off", " 0", "否"])
def test_the_spellings_of_false(text):
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["", " ", "ture", "2", "-1", "y", "n", "yes please", "t", "null", "none", "真"])
def test_anything_else_is_refused_in_chinese_with_the_spellings_it_takes(text):
    with pytest.raises(BoolRefused) as refused:
        parse_bool(text)
    assert isinstance(refused.value, ValueError)
    assert refused.value.key == "parsing.bool_invalid"
    message = str(refused.value)
    assert CHINESE.search(message) and repr(text) in message
    assert all(word in message for word in ("true", "false", "1", "0", "yes", "no", "on", "off"))
