"""The folder form of a project: a deterministic, line-oriented text tree a team can keep in git
(`qualcode export folder DIR`, `qualcode import folder DIR`). layout.py names the files and their
fields, write.py writes a project as a tree, read.py checks a tree and reads it into a Bundle."""
