"""Demo and synthetic campaign data: what Guatu ships with and benchmarks on.

This package owns generating campaign *data* (layers, boundaries, a made-up
journal), never the campaign configuration, which it only reads:

* the campaign generator, `campaign.write_demo`: the demo campaign for Erqi
  District (二七区), Zhengzhou — the district outline, sub-districts (街道)
  and communities (社区/村) as Voronoi cells, road segments (路段) as
  road-surface polygons, courtyards and compounds (楼院/老旧小区/小游园)
  including the places named in the source article, and urban–rural fringe
  villages (城乡接合部), each with a status, a deadline, its 四包一 people
  and a problem ledger (台账). `geography` draws the places, `shapes` is its
  geometry toolkit. Positions are illustrative, not survey results. A fixed
  seed makes every run byte-identical.
* the history generator, `history.write_history`: gives a campaign folder
  without a journal a made-up past, written through the store with a fake
  clock. `history.make_demo_copy` is what `./guatu serve` runs on its first
  start: a copy of data/ with that history, in instance/demo/.
* `synthetic.write_synthetic`: a large regular campaign (N rotated rectangles
  on a grid over the map bounds) for tests and benchmarks, built with
  vectorised numpy/shapely.
* `cli`: the command line.

    python -m geo.synth demo --out data
    python -m geo.synth history DIR [--days N]
    python -m geo.synth demo-copy data instance/demo
    python -m geo.synth synthetic --count 100000 --out /tmp/s100k [--seed 1]
"""
