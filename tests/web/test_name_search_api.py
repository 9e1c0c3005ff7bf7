"""GET /api/layers/{layer}/search: a layer's places found by name (geo/name_search.py; the order: tests/test_name_search.py)."""


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
