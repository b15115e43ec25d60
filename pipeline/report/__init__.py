"""Report: the consolidated workbook officials read and print."""
