# CI/CD Lab — entry points. `make` (or `make help`) lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
LAB := node lab/dist/cli.js
NPM_STAMP := node_modules/.package-lock.json

.PHONY: help setup deps build tools lint test test-quick test-converge bench \
        lab-up lab-down lab-destroy lab-status walkthrough doctor clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(NPM_STAMP): package.json package-lock.json lab/package.json $(wildcard app/*/package.json)
	@echo "npm: installing dependencies (npm ci)..."
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $(NPM_STAMP)

deps: $(NPM_STAMP) ## Install npm dependencies (only when the lockfile changed)

build: deps ## Compile the lab CLI and the services (TypeScript)
	@npm run --silent build

setup: deps build ## First step after cloning: dependencies and a build
	@echo "setup: done. Next: 'make doctor', then 'make lab-up'."

tools: ## Install the external tools the tests use (apt on Debian/Ubuntu; prints commands elsewhere)
	@bash scripts/install-tools.sh

lint: build ## ESLint, Prettier and the TypeScript type check
	@npm run --silent lint

test: build lint ## Lint, then the whole test suite (unit, integration, real tools); LAB_STRICT=1 fails on missing tools
	@npm test --silent

test-quick: build ## The test suite without the slow container converge (and without lint)
	@LAB_SKIP_CONVERGE=1 npm test --silent

test-converge: build ## Converge site.yml twice on 4 systemd containers (podman), changed=0 check, verify plays
	@bash test/converge/converge.sh

bench: build ## Benchmarks, printed side by side with ratios
	@for b in bench/*.mjs; do echo "== $$b"; node "$$b" || exit $$?; done

doctor: build ## Check this machine: providers, virtualization, memory, disk, network, ports
	@$(LAB) doctor

lab-up: build ## Bring the whole lab up (provider from lab.config.yml) and configure it
	@$(LAB) up

lab-down: build ## Stop the lab's nodes, keeping their disks
	@$(LAB) down

lab-destroy: build ## Delete the lab's nodes (asks first; the .lab state folder is kept)
	@$(LAB) destroy

lab-status: build ## Show the nodes, their addresses and URLs, and where the secrets are
	@$(LAB) status

walkthrough: build ## Guided tour: green release, gated release, rolled-back release
	@$(LAB) walkthrough

clean: ## Remove build output (not the lab state in .lab/ nor caches in .cache/)
	@rm -rf lab/dist app/*/dist lab/*.tsbuildinfo app/*/*.tsbuildinfo
