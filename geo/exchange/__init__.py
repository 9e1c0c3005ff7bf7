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
"""

from geo.exchange.exporter import EXPORT_FORMATS, ExportFile, export_layer
from geo.exchange.importer import CommitResult, ImportOptions, ImportPreview, commit_import, preview_upload

__all__ = [
    "EXPORT_FORMATS", "CommitResult", "ExportFile", "ImportOptions", "ImportPreview", "commit_import", "export_layer",
    "preview_upload",
]
