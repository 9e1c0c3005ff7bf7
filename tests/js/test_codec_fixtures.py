"""The files the JavaScript decoders are tested on (tests/js/*.test.js) are what geo's codec makes today."""

from tests.js.codec_fixtures import FIXTURES, files


def test_the_committed_fixtures_are_what_the_codec_makes_today():
    made = files()
    stale = [name for name, data in made.items() if (FIXTURES / name).read_bytes() != data]
    assert not stale, f"run `python -m tests.js.codec_fixtures` and commit: {stale} differ from geo/wall/codec.py's output"
    assert made["shapes.bin"][:4] == b"GTU1"
