# relpolicy: make help lists the targets.
GO       ?= go
BIN      := bin/relpolicy
# The examples' review and release dates are real dates; lint them as of this
# day so the demo stays reproducible (the date rules are tested separately).
DEMO_NOW ?= 2026-11-22
FUZZTIME ?= 10s
STATICCHECK_VERSION ?= v0.8.2

RELEASE_DIR ?= dist
REPRO_PLATFORMS ?= linux/amd64

.PHONY: help build demo release reproducible-check test parity fuzz lint generate check-generated sarif-validate bench bench-disclosure bench-site bench-verify bench-sweep eval dogfood clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

build: ## build bin/relpolicy
	$(GO) build -trimpath -o $(BIN) ./cmd/relpolicy

demo: build ## lint the bundled examples, show a failing case, render the site to ./public
	@echo "== relpolicy lint examples/*   (three realistic repositories: clean)"
	$(BIN) lint --now $(DEMO_NOW) examples/*
	@echo
	@echo "== relpolicy lint testdata/demo/broken   (a policy with problems: exit 1 expected)"
	@$(BIN) lint --now $(DEMO_NOW) testdata/demo/broken; echo "exit status $$?"
	@echo
	@echo "== relpolicy explain RP201"
	@$(BIN) explain RP201
	@echo
	@echo "== relpolicy site --out public examples"
	$(BIN) site --now $(DEMO_NOW) --out public examples
	@echo "== relpolicy lookup: is this digest official?"
	@$(BIN) lookup --site public $$(grep -o -m1 'sha256:[0-9a-f]\{64\}' examples/aurora-api/release-policy.yaml)
	@echo
	@echo "Open file://$(CURDIR)/public/index.html in a browser."

test: ## run every test with the race detector
	$(GO) test -race -count=1 ./...

parity: ## the credential engine against gitleaks itself (rule table, samples, edges, allowlists)
	$(GO) test -count=1 ./lint/secrets -run '^(TestGitleaksParity|TestGitleaksParityEdges|TestPathAllowedMatchesGitleaks|TestGitleaksRules|TestTableFresh|TestTableVersion)$$'

fuzz: ## run each fuzzer for FUZZTIME (default 10s)
	$(GO) test ./lint/policy -run '^$$' -fuzz '^FuzzLoadPolicy$$' -fuzztime $(FUZZTIME)
	$(GO) test ./lint/workflow -run '^$$' -fuzz '^FuzzWorkflow$$' -fuzztime $(FUZZTIME)
	$(GO) test ./lint/disclosure -run '^$$' -fuzz '^FuzzScanFile$$' -fuzztime $(FUZZTIME)
	$(GO) test ./lint/secrets -run '^$$' -fuzz '^FuzzGitleaksParity$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/reference -run '^$$' -fuzz '^FuzzParseURL$$' -fuzztime $(FUZZTIME)
	$(GO) test ./verify -run '^$$' -fuzz '^FuzzParseChecksums$$' -fuzztime $(FUZZTIME)

lint: ## gofmt, go vet, staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags bench ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags bench ./...

generate: ## regenerate the JSON Schema, the gitleaks rule table and docs/rules.md
	$(GO) generate ./schema ./lint/secrets
	$(GO) test ./lint/report -run TestRulesDocFresh -update >/dev/null

check-generated: generate ## fail when generated files are stale
	@git diff --exit-code -- schema/release-policy.schema.json lint/secrets/gitleaks_table.go docs/rules.md || \
	  { echo "generated files are stale: run make generate and commit"; exit 1; }

sarif-validate: ## validate golden and reproducer SARIF with Microsoft's SARIF validator (npm; rule kinds Sarif and Gh)
	bash .ci/sarif-validate

release: ## reproducible archives for linux/darwin/windows x amd64/arm64 and SHA256SUMS in RELEASE_DIR (default dist)
	bash scripts/release.sh $(RELEASE_DIR)

reproducible-check: ## build the archives twice (second from another path, all packages rebuilt) and compare bytes
	bash scripts/reproducible-check.sh $(REPRO_PLATFORMS)

dogfood: build ## lint relpolicy's own release-policy.yaml and render its own site to bin/site
	$(BIN) lint --config .relpolicy-dogfood.yaml .
	$(BIN) site --config .relpolicy-dogfood.yaml --strict --out bin/site .

bench: bench-disclosure bench-site bench-verify bench-sweep ## every benchmark of docs/performance.md
	$(GO) test ./lint -run '^$$' -bench . -benchtime 20x
	bash bench/lint/run.sh

bench-disclosure: ## relpolicy lint against the gitleaks CLI on generated trees
	bash bench/disclosure/run.sh

bench-site: ## relpolicy site on a synthetic org of 1,000 repos against the file-creation floor and Hugo
	bash bench/site/run.sh

bench-verify: ## relpolicy verify: 150 OCI digests + 20 file releases, 20 ms per request (< 2 s, <= 2 registry requests per digest)
	RELPOLICY_BENCH_VERIFY=1 $(GO) test ./verify -run '^TestBenchVerify$$' -count=1 -v

bench-sweep: ## relpolicy sweep: 1,000 repos, 20 ms per request, cold (<= 3 rate-limited requests per repo, < 15 s) and warm (>= 95% 304s, < 5 s)
	RELPOLICY_BENCH_SWEEP=1 $(GO) test ./internal/github -run '^TestBenchSweep$$' -count=1 -v

eval: ## precision and recall of the disclosure rules on the labelled corpus
	$(GO) test ./lint/disclosure -run '^TestEval$$' -v -count=1 | sed -n '/disclosure corpus/,/^$$/p'

clean: ## remove build output
	rm -rf bin public $(RELEASE_DIR)
