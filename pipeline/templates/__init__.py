"""Templates: one module per workbook kind that the tool hands out (OPD today)."""
