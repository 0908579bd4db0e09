"""Analysis package of the CIS migration compendium.

The package is the only place where data are read, validated and modelled;
the chapters in ``chapters/`` call it and tell the story.
"""

__version__ = "0.1.0"
