"""The lesson format: parse a file into a Lesson, load a folder into a Catalog."""

from .catalog import Catalog, load_catalog
from .model import (
    FaqEntry,
    Lesson,
    Option,
    Preset,
    Problem,
    Question,
    Section,
    Source,
    Track,
)

__all__ = ["Catalog", "FaqEntry", "Lesson", "Option", "Preset", "Problem", "Question",
           "Section", "Source", "Track", "load_catalog"]
