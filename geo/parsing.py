"""The one reader of yes/no text: query strings, form fields and wall-map URLs all say true or false through it.

    from geo.parsing import parse_bool
    parse_bool("ON")   # True
    parse_bool("否")   # False
    parse_bool("yep")  # BoolRefused (a ValueError) with a catalogue key

Accepted spellings, in any case and with surrounding spaces ignored:

    true:  true  1  yes  on  是
    false: false 0  no   off 否

Anything else — the empty text included — is refused rather than read as
false, so a typo never silently turns an option off; a caller for which an
empty value means "not given" says so before calling. The refusal carries the
catalogue key `parsing.bool_invalid` and its parameters, so the web layer
answers a 400 naming the parameter in Chinese.
"""

from __future__ import annotations

from geo.messages import t

TRUE = ("true", "1", "yes", "on", "是")
FALSE = ("false", "0", "no", "off", "否")
SPELLINGS = "、".join(TRUE + FALSE)


class BoolRefused(ValueError):
    """A text that is none of the accepted spellings of true or false."""

    key = "parsing.bool_invalid"

    def __init__(self, text: str) -> None:
        self.text = text
        self.params = {"value": repr(text[:40]), "expected": SPELLINGS}
        super().__init__(t(self.key, **self.params))


def parse_bool(text: str) -> bool:
    """`text` read as true or false (see the module's spellings); anything else raises `BoolRefused`."""
    word = str(text).strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise BoolRefused(str(text))
