"""REFI-QDA exchange files: .qdpx projects and .qdc codebooks.

qdpx and qdc are the entry points; qde_read with qde_sources, qde_codebook and qde_values reads
a project.qde (qde_stream while parsing, for qualcode's own large files), qde_write writes one, archive opens the zip safely, xmlread parses XML without
external entities, notation is how qualcode's own extras are written into standard fields, and
validation checks files against the standard's schemas (shipped in schemas/).
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "qdc": ["export_qdc", "import_qdc", "read_qdc"],
        "qde_values": ["document_name", "stored_time"],
        "qde_write": ["codebook_xml"],
        "qdpx": ["export_qdpx", "import_qdpx", "parse_analyst_map", "read_qdpx"],
    },
)
