"""The field tests reuse the workflow tests' small campaign (nine courtyards in three sub-districts)."""

from tests.workflow.conftest import app, client, seeded, store  # noqa: F401
