"""The province view: every kab/kota side by side, from the consolidated workbooks they send."""
