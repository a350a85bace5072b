"""Getting articles in: feed parsing, files, JSONL and HTTP fetching."""
