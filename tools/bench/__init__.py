"""`make bench`: the tool against the naive pandas+openpyxl script and the calamine floor."""
