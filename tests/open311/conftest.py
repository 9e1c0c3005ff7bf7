"""The residents' fixtures (a campaign with its boundary files, the loop without photo rules) for Open311's tests."""

from tests.residents.conftest import bounded_dir, open_campaign  # noqa: F401 - fixtures
