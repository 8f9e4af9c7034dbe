"""The document reader: pure, bytes in, disclosures out (SPEC section 9). lxml and pypdf are
imported when a document is read, never at start-up."""

from dattrack.reader.model import Found, InstrumentFound, IssuanceFound, Reading, UnreadableDocument
from dattrack.reader.reading import read_document

__all__ = ["Found", "InstrumentFound", "IssuanceFound", "Reading", "UnreadableDocument", "read_document"]
