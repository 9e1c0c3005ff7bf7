"""GET /api/layers/{layer}/search and the wall's /api/wall/search/{layer}: a layer's places found by name
(geo/name_search.py; the order: tests/test_name_search.py; a display link's scope: tests/web/test_display_scope.py)."""

from geo.store import open_store


def test_the_api_answers_a_search_and_refuses_a_bad_one_in_chinese(public_app_on_both):
    client = public_app_on_both().test_client()
    resp = client.get("/api/layers/courtyards/search?q=中原东路")
    assert resp.status_code == 200
    assert [p["name"] for p in resp.get_json()["places"]] == ["中原东路5号院"]
    for query in ("", "?q=", "?q=x&limit=0", "?q=x&limit=51", "?q=" + "x" * 101, "?q=x&limit=many", "?q=%00"):
        bad = client.get("/api/layers/courtyards/search" + query)
        assert bad.status_code == 400, query
        assert any("\u4e00" <= ch <= "\u9fff" for ch in bad.get_json()["message"]), bad.get_json()
    assert client.get("/api/layers/nowhere/search?q=x").status_code == 404


def test_the_walls_search_keeps_to_the_screens_sub_district_and_community(public_app_on_both, seeded, campaign,
                                                                          make_feature):
    store = open_store(seeded, campaign)
    for n, (street, community) in enumerate([("淮河路街道", "五里堡社区"), ("淮河路街道", "大学路社区"),
                                             ("大学路街道", "五里堡社区")]):
        store.create("courtyards", make_feature(f"勘探院{n}号院", x=113.70 + n * 0.002, street=street,
                                                community=community), user="t")
    client = public_app_on_both().test_client()

    def names(query):
        resp = client.get("/api/wall/search/courtyards?q=勘探院" + query)
        assert resp.status_code == 200, resp.data
        return [p["name"] for p in resp.get_json()["places"]]

    assert names("") == ["勘探院0号院", "勘探院1号院", "勘探院2号院"]
    assert names("&limit=1&street=大学路街道") == ["勘探院2号院"]  # its best, not the layer's best cut down
    assert names("&street=淮河路街道&community=大学路社区") == ["勘探院1号院"]
    assert names("&community=五里堡社区") == ["勘探院0号院", "勘探院2号院"]
    for query in ("?q=", "?q=x&limit=0", "?q=%00"):
        bad = client.get("/api/wall/search/courtyards" + query)
        assert bad.status_code == 400, query
        assert any("\u4e00" <= ch <= "\u9fff" for ch in bad.get_json()["message"]), bad.get_json()
    assert client.get("/api/wall/search/nowhere?q=x").status_code == 404
