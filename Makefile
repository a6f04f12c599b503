# Stadtnetz: `make run` serves a development instance, `make test` runs the suite.
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app stadtnetz
PYTHON ?= python3

.PHONY: run test install translations extract-messages lint clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed translations

translations: $(BIN)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d stadtnetz/translations -D messages

extract-messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o stadtnetz/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i stadtnetz/translations/messages.pot -d stadtnetz/translations --no-fuzzy-matching

run: install
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(FLASK) serve

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check stadtnetz tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
