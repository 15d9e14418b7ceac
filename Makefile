# Liaison Station — build, demo and test.
#   make demo   installs what is missing, builds, starts a hub with demo data and two windows
#   make test   every test: vet, go test -race, frontend type-check and unit tests, desktop
#               smoke test, end-to-end browser tests, and the Debian packages built and checked

SHELL      := /bin/bash
GO         ?= go
BIN        := build/bin
TAGS_REL   := desktop,production,webkit2_41
TAGS_DEV   := dev,webkit2_41
# The packages' version (build/scripts/version.sh): the station compares it with signed updates.
VERSION    ?= $(shell build/scripts/version.sh 2>/dev/null || echo dev)
LDFLAGS    := -X liaison/app.Version=$(VERSION)

.PHONY: demo test deps deps-test frontend station station-dev hub build go-test go-vet \
        frontend-test bindings bindings-check api-types api-types-check smoke e2e bench soak clean \
        test-postgres bench-postgres \
        package package-check

demo: deps build
	build/scripts/demo.sh

test: deps-test go-vet go-test bindings-check api-types-check frontend-test smoke e2e package package-check
	@echo "all tests passed"

deps:
	build/scripts/deps.sh build

deps-test:
	build/scripts/deps.sh test

# Vite would list every one of the font's few hundred subset files: warnings only, then a total.
frontend:
	cd frontend && npm run build -- --logLevel warn
	@echo "frontend built: $$(du -sh frontend/dist | cut -f1) in frontend/dist"

station: frontend
	$(GO) build -tags $(TAGS_REL) -ldflags "$(LDFLAGS)" -o $(BIN)/liaison-station .

station-dev: frontend
	$(GO) build -tags $(TAGS_DEV) -ldflags "$(LDFLAGS)" -o $(BIN)/liaison-station-dev .

# The hub embeds the built frontend to serve the console at /console/.
hub: frontend
	$(GO) build -tags production -ldflags "-X main.version=$(VERSION)" -o $(BIN)/liaison-hub ./sync/hub/cmd/liaison-hub

build: station hub

go-vet:
	$(GO) vet ./...

# With PostgreSQL installed (deps.sh test installs it), the tests get a private server
# (build/scripts/with-postgres.sh): the store's contract, the replicas and the --db commands
# run on it, then the tests of the store, console, server, imports and notices again with PostgreSQL as the
# engine. Without it those tests say they skipped.
# the sync fault tests whose hub store is in-process (the others run the hub binary on SQLite)
PG_SYNC_TESTS  := Convergence|OfflineForAMonth|SignUpsOverSync|QuickReconnects
PG_ENGINE_PKGS := ./sync/hub/sqlitestore/ ./sync/hub/console/ ./sync/hub/server/ ./sync/hub/refimport/ ./sync/hub/notify/

go-test:
	build/scripts/with-postgres.sh bash -c '$(GO) test -race -count=1 ./... && \
	  if [ -n "$${LIAISON_TEST_POSTGRES:-}" ]; then \
	    echo "the hub tests again, on PostgreSQL:"; \
	    LIAISON_TEST_ENGINE=postgres $(GO) test -race -count=1 $(PG_ENGINE_PKGS) && \
	    LIAISON_TEST_ENGINE=postgres $(GO) test -race -count=1 -run '"'$(PG_SYNC_TESTS)'"' ./sync/synctest/; fi'

# The hub store's tests and benchmarks on PostgreSQL only (make bench-postgres for figures).
test-postgres:
	build/scripts/with-postgres.sh bash -c 'LIAISON_TEST_ENGINE=postgres $(GO) test -race -count=1 $(PG_ENGINE_PKGS) && \
	  LIAISON_TEST_ENGINE=postgres $(GO) test -race -count=1 -run '"'$(PG_SYNC_TESTS)'"' ./sync/synctest/ && \
	  $(GO) test -race -count=1 -run "Postgres|Replicas" ./sync/hub/cmd/liaison-hub/ ./sync/synctest/ ./sync/pgdb/'

bench-postgres:
	build/scripts/with-postgres.sh bash -c 'LIAISON_TEST_ENGINE=postgres $(GO) test -run "^$$$$" -bench . -benchmem -count 1 \
	  -timeout 60m ./sync/hub/sqlitestore/ ./sync/synctest/' 2>&1 | tee build/bench-postgres.txt

# The frontend's bindings to the Go services (frontend/src/bindings/wailsjs) are generated and
# committed; bindings-check fails when they differ from what the Go code generates.
bindings:
	GO=$(GO) build/scripts/bindings.sh

bindings-check:
	GO=$(GO) build/scripts/bindings.sh check

# The console's API types (frontend/src/console/api/generated.ts) are written from the Go types
# of sync/hub/console and committed; api-types-check fails when they differ.
API_TYPES := frontend/src/console/api/generated.ts

api-types:
	$(GO) run ./sync/hub/console/cmd/apitypes -o $(API_TYPES)

api-types-check:
	@tmp=$$(mktemp) && trap 'rm -f "$$tmp"' EXIT && \
	$(GO) run ./sync/hub/console/cmd/apitypes -o "$$tmp" && \
	{ diff -u $(API_TYPES) "$$tmp" || { echo "$(API_TYPES) is stale: run make api-types"; exit 1; }; }

frontend-test:
	cd frontend && npm run typecheck && npm test

smoke: station hub
	build/scripts/smoke.sh

e2e: station-dev hub
	cd frontend && node --test e2e/

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 -timeout 60m ./... 2>&1 | tee build/bench.txt
	cd frontend && npm run bench:pinyin 2>&1 | tee ../build/bench-pinyin.txt

soak: station hub
	build/scripts/soak.sh

# Debian packages of the hub (amd64, arm64), the station (amd64) and its kiosk session, into
# build/dist; package-check inspects them and runs the packaged hub (docs/operations.md).
package: station
	GO=$(GO) build/package/build.sh

package-check:
	GO=$(GO) build/package/check.sh

clean:
	rm -rf $(BIN) build/dist frontend/dist .demo
