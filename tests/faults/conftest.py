"""The fixtures of tests/web (a seeded campaign, an app) are shared here."""

from tests.web.conftest import app, instance_dir, seeded  # noqa: F401
