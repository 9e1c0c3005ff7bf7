"""Static maps for meetings and street offices: PDF (vector) and PNG sheets.

    layout.py   print options, paper sizes, page geometry, the stated scale
    data.py     the places a print shows, as projected shapely/numpy arrays
    labels.py   greedy label placement without overlaps
    fonts.py    the embedded CJK font (Debian's fonts-noto-cjk, subset to TrueType)
    render.py   the sheet itself, drawn with matplotlib

No Flask here: web/printing/maps.py and the `print-map` command only parse
parameters and call `render_print`. Nothing is imported here: a process that
never prints (a wall worker) does not load matplotlib.
"""
