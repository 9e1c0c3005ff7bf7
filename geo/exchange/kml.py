"""KML's own attributes (ExtendedData) read with the names the file gives them, Chinese included.

Google Earth, 奥维 and others keep a placemark's attributes in
`<ExtendedData>`: `<Data name="街道"><value>…</value></Data>`, or
`<SchemaData schemaUrl="#s"><SimpleData name="街道">…</SimpleData>` typed by
a `<Schema>`. GDAL's LIBKML driver reads both, with two habits that lose them:

- it launders field names, so every byte of a Chinese name becomes `_`
  (街道 and 社区 both turn into `______`, and one hides the other);
  `read_names_as_written` turns that off (GDAL's configuration option
  LIBKML_LAUNDER_FIELD_NAMES=NO, set for every KML read);
- it drops a `SimpleData` whose name its `Schema` does not declare (or whose
  `schemaUrl` names no schema in the file); `declare_simple_data` rewrites such
  values as `Data` elements of the same placemark before GDAL reads the file,
  so they come through as text.

The file is parsed with defusedxml: a KML declaring entities or external
references (which no GIS program writes, and which entity bombs use) is refused.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

import pyogrio
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse, parse

from geo.exchange.archive import file_error
from geo.messages import t


def read_names_as_written() -> None:
    """Make GDAL's KML reader keep attribute names as the file writes them (no laundering to `_`)."""
    pyogrio.set_gdal_config_options({"LIBKML_LAUNDER_FIELD_NAMES": "NO"})


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _needs_rewrite(path: Path) -> bool:
    """Whether GDAL would drop some of the file's ExtendedData (one streaming pass): a SimpleData its schema
    does not declare, or a placemark with both Data and SchemaData (GDAL then reads only the SchemaData)."""
    declared: dict[str, set[str]] = {}
    used: list[tuple[str, str]] = []
    schema_id, url = None, ""
    kinds: set[str] = set()
    for event, elem in iterparse(path, events=("start", "end")):
        name = _local(elem.tag)
        if event == "start":
            if name == "Schema":
                schema_id = elem.get("id") or elem.get("name") or ""
                declared.setdefault(schema_id, set())
            elif name == "SchemaData":
                url = elem.get("schemaUrl") or ""
            elif name == "ExtendedData":
                kinds = set()
            continue
        if name == "SimpleField" and schema_id is not None:
            declared[schema_id].add(elem.get("name") or "")
        elif name == "Schema":
            schema_id = None
        elif name == "SimpleData":
            used.append((url.rpartition("#")[2], elem.get("name") or ""))
        elif name in ("Data", "SchemaData"):
            kinds.add(name)
        elif name == "ExtendedData" and len(kinds) == 2:
            return True
        elif name == "Placemark":
            elem.clear()  # a large file is not kept in memory
    return any(field not in declared.get(schema, ()) for schema, field in used)


def declare_simple_data(path: Path, shown: str) -> None:
    """Rewrite the KML at `path` so that GDAL reads every attribute: a placemark's SchemaData that its schema does
    not fully declare, or that sits beside Data, becomes Data elements (text). A file that needs nothing is left
    untouched."""
    try:
        if not _needs_rewrite(path):
            return
        tree = parse(path)
    except ParseError as exc:
        raise file_error(t("upload.unreadable", file=shown, reason=str(exc))) from None
    except DefusedXmlException:  # <!ENTITY …> (entity bombs) or external references: never written by GIS software
        raise file_error(t("import.kml_entities", file=shown)) from None
    root = tree.getroot()
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if ns:  # KML's own elements written without a prefix, as libkml expects them
        for elem in root.iter():
            if isinstance(elem.tag, str) and elem.tag.startswith(f"{{{ns}}}"):
                elem.tag = _local(elem.tag)
        root.set("xmlns", ns)
    fields = {(s.get("id") or s.get("name") or ""): {f.get("name") for f in s.iter("SimpleField")}
              for s in root.iter("Schema")}
    for extended in root.iter("ExtendedData"):
        schema_data = extended.findall("SchemaData")
        simple = [(sd, v) for sd in schema_data for v in sd.findall("SimpleData")]
        declared = all(v.get("name") in fields.get((sd.get("schemaUrl") or "").rpartition("#")[2], ())
                       for sd, v in simple)
        if not schema_data or (declared and extended.find("Data") is None):
            continue
        for sd in schema_data:
            extended.remove(sd)
        for _, value in simple:
            data: Element = SubElement(extended, "Data", {"name": value.get("name") or ""})
            SubElement(data, "value").text = value.text
    path.write_bytes(tostring(root, encoding="utf-8", xml_declaration=True))
