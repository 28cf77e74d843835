"""Request workbooks: what `stratctl request` writes and `stratctl collect` reads back."""
