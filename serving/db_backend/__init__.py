"""PostgreSQL backend that retries opening a connection while the server wakes up."""
