"""Ingest: safe file reading and the worker pool, byte checks, workbook parts, reading each kind."""
