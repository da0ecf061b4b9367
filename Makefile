# The long fuzz run: ~10,000+ generated requests over every endpoint of the three dialects
# against a live gunicorn (tests/fuzzing.py). Prints the totals: requests, 5xx, shape violations.
# Uses the test settings (tests/settings.py); set DATABASE_URL / REDIS_URL to isolate it.
FUZZ_EXAMPLES ?= 70

.PHONY: fuzz
fuzz:
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) uv run pytest -q -s -p no:cacheprovider tests/test_fuzz.py
