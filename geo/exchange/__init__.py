"""Import and export of campaign layers: GIS files, GCJ-02 and the XLSX ledger (no Flask).

- `importer`    preview an uploaded file against a layer, then commit it all-or-nothing
- `exporter`    a layer, whole or filtered, as GeoJSON, GeoPackage, zipped Shapefile, KML or XLSX
- `formats`     reading and writing through pyogrio/GDAL (finding datasets, reprojection)
- `kml`         KML ExtendedData (Data, SchemaData) read with its own names, Chinese included
- `dbf`         Shapefile text encodings (.cpg, declared, detected UTF-8 / GB18030)
- `attributes`  column names and values of other people's files ⇄ Guatu's properties
- `ledger_xlsx` the ledger (台账) workbook
- `archive`     upload limits, private temporary folders, safe unzipping
- `gcj02`       WGS84 ⇄ GCJ-02 (AMap/Gaode) coordinates

Nothing is imported here: callers name the module they use, so a process that never imports or exports a
file (a wall worker) does not load GDAL, geopandas and openpyxl.
"""
