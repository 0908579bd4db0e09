"""Data: the data package, the paper's tables and statements, pinned public files."""
