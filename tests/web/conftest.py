import pytest

from geo.store import open_store
from geo.store.transfer import copy_to_postgis
from web import create_app


@pytest.fixture
def seeded(data_dir, campaign, clock, make_feature):
    """A small campaign: three courtyards, one with an HTML payload for a name."""
    store = open_store(data_dir, campaign, clock=clock)
    store.create("courtyards", make_feature("兑周村1号院", "accepted", x=113.660), user="张三")
    store.create("courtyards", make_feature("中原东路5号院", "pending", x=113.662, deadline="2026-11-01"), user="张三")
    store.create("courtyards", make_feature("<img src=x onerror=alert(1)>", "in_progress", x=113.664), user="李四")
    return data_dir


@pytest.fixture
def instance_dir(tmp_path):
    return tmp_path / "instance"


@pytest.fixture
def app(seeded, clock, instance_dir):
    """The app with a public read-only view, as the demo runs."""
    return create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                       "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(params=["geojson", "postgis"])
def public_app_on_both(request, seeded, campaign, clock, instance_dir):
    """A callable making the public app on the `seeded` campaign as it is then, on each backend in turn (on
    PostGIS the campaign copied into the test's schema first); closes the store afterwards."""
    made = []

    def make():
        config = {"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                  "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True}
        if request.param == "postgis":
            url, schema = request.getfixturevalue("postgis_url"), request.getfixturevalue("postgis_schema")
            copy_to_postgis(seeded, campaign, url, schema=schema)
            config.update(GUATU_DATABASE_URL=url, GUATU_DATABASE_SCHEMA=schema)
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:
        app.extensions["guatu"].store.close()


PASSWORD = "correct horse battery"


@pytest.fixture
def private_app(seeded, clock, instance_dir):
    """The app as a deployment runs it: nothing without logging in."""
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir)})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("viewer1", PASSWORD, "viewer", "王看")
    acc.create_user("editor1", PASSWORD, "editor", "李编")
    acc.create_user("admin1", PASSWORD, "admin", "赵管")
    return app


def login(client, username, password=PASSWORD):
    """Log in through the form; returns the CSRF token for later writes."""
    page = client.get("/login").data.decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf})
    assert resp.status_code == 302, resp.data
    return client.get("/api/me").get_json()["csrf_token"]
