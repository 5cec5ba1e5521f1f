"""Exchanging work with other programs and other copies: REFI-QDA files, QualCoder, merges.

Modules, each with one job:

- archive: reading a .qdpx zip safely, in memory (no paths out of the folder, no zip bombs);
- xmlread: parsing XML from other programs without entities, and without caring about namespaces;
- guids: GUIDs as REFI-QDA writes them and qualcode stores them; stable derived GUIDs;
- positions: mapping another program's character positions (CRLF, UTF-16) onto stored text;
- turns, richtext: a source's text kept exactly as it is, with its speaker turns; .docx text;
- notation: qualcode's own fields (criteria, themes, memo kinds) as readable REFI-QDA text;
- qde_write, qde_read: project.qde and .qdc out, and leniently in;
- bundle, incorporate: what is brought in, whatever it came from, and the one set of rules
  (match, add, conflict) that writes it into a project in one transaction;
- qdpx, qdc: the public export and import functions; validation: the schemas check.

Themes have no element in REFI-QDA. qualcode writes each theme as a Set named "Theme: NAME"
whose member codes are the theme's codes, whose Description carries the definition, the central
organising concept and the status (and "subtheme of: PARENT"), and whose member notes are the
theme's memos; links between themes and a theme's illustrative extracts are Links. Other programs
show such a set as a named group of codes (ATLAS.ti: a code group; MAXQDA and NVivo: a set),
which is what a candidate theme is. On import, any set named "Theme: ..." becomes a theme again.
"""
