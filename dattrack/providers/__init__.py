"""Market-data and company-facts clients. Imported only by commands that go online."""
