"""Search keeps no rows of its own (its index is a column and, on SQLite, an FTS5 table, both of
``posts_post``). The module exists because ``migrate`` sends ``post_migrate`` only to apps with
a models module, and ``apps.SearchConfig`` needs it to put the FTS5 triggers back."""
