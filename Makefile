# Faultline: build, demo and test entry points. Each target installs missing system libraries first.
SWIFT ?= swift
RELEASE_BIN := .build/release/faultline

.PHONY: deps build demo test bench clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product faultline

# The bundled demo dumps, analysed into reports/ (Adult) and reports/bike-sharing/.
demo: build
	$(RELEASE_BIN) analyze --out reports
	$(RELEASE_BIN) analyze data/bike_sharing_hourly_predictions.csv --out reports/bike-sharing

test: deps
	$(SWIFT) test

# Benchmarks live in a nested package so the main build stays lean (see docs/performance.md).
bench: deps
	cd Benchmarks && $(SWIFT) package benchmark

clean:
	rm -rf .build reports
