"""The keepings of the state every instance shares behave alike on both backends: the accounts document and the
import previews in the instance folder (one machine) or in the campaign's database (every machine)."""

from __future__ import annotations

import pytest

from geo.accounts import Accounts, AccountsFile
from geo.errors import GuatuError
from geo.exchange.previews import FilePreviews
from geo.store.shared_state import PostgresAccounts, PostgresPreviews, shared_key

PASSWORD = "correct horse battery"


@pytest.fixture(params=["file", "postgis"])
def keepings(request, tmp_path, store_factory):
    """(accounts keeping, previews keeping, a second accounts keeping standing for another process)."""
    if request.param == "file":
        return (AccountsFile(tmp_path / "accounts.json"), FilePreviews(tmp_path / "imports"),
                AccountsFile(tmp_path / "accounts.json"))
    store = store_factory("postgis")
    return (PostgresAccounts(store.connection, store.where), PostgresPreviews(store.connection),
            PostgresAccounts(store.connection, store.where))


def test_accounts_written_by_one_process_are_read_by_another(keepings, clock):
    mine, _, other = keepings
    one, two = Accounts(mine, clock=clock), Accounts(other, clock=clock)
    assert two.users() == []
    one.create_user("admin1", PASSWORD, "admin", "赵管")
    one.create_user("editor1", PASSWORD, "editor", "李编")
    sid = one.start_session("editor1")
    assert two.session_user("editor1", sid).name == "李编"
    two.update_user("editor1", password="another long password")
    assert one.session_user("editor1", sid) is None  # a password change ends the session for every process


def test_a_write_that_fails_leaves_the_process_copy_as_it_was(keepings, clock):
    mine, _, _ = keepings
    acc = Accounts(mine, clock=clock)
    acc.create_user("admin1", PASSWORD, "admin", "赵管")
    with pytest.raises(GuatuError):
        acc.update_user("admin1", role="viewer")  # the last admin: refused inside the write
    assert acc.get_user("admin1").role == "admin"
    assert Accounts(mine, clock=clock).get_user("admin1").role == "admin"


def test_previews_are_kept_fetched_dropped_and_expired(keepings):
    _, previews, _ = keepings
    previews.put("p" * 24, {"user": "editor1", "created": 1000.0, "preview": {"layer": "courtyards"}})
    previews.put("q" * 24, {"user": "editor1", "created": 5000.0, "preview": {"layer": "roads"}})
    assert previews.get("p" * 24)["preview"] == {"layer": "courtyards"}
    assert previews.get("r" * 24) is None
    previews.drop("q" * 24)
    previews.drop("q" * 24)  # twice: nothing
    assert previews.get("q" * 24) is None


def test_expired_previews_are_forgotten_in_the_database(store_factory):
    previews = PostgresPreviews(store_factory("postgis").connection)
    previews.put("old" * 8, {"user": "a", "created": 1000.0, "preview": {}})
    previews.put("new" * 8, {"user": "a", "created": 9000.0, "preview": {}})
    previews.expire(5000.0)
    assert previews.get("old" * 8) is None and previews.get("new" * 8) is not None


def test_the_shared_key_is_made_once_for_every_instance(store_factory):
    store = store_factory("postgis")
    first = shared_key(store.connection, "session")
    assert len(first) == 32
    assert shared_key(store.connection, "session") == first
    assert shared_key(store.connection, "other") != first
