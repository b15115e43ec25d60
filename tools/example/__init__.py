"""The bundled example kabupaten: returned workbooks generated from the real templates."""
