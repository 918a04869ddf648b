"""Patient records: SQLite by default, PostgreSQL for shared wards; one code path for both."""
