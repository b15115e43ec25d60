"""KLA Konsolidasi: templates, ingest, validation, scoring and reports for the KLA evaluation."""

__version__ = "0.1.0"
