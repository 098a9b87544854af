# Multichain liquidator bot: one Makefile for the whole fleet. `make help` lists the targets.
SHELL := /bin/bash
SERVICES := collector health-checker liquidator manager
IMAGE_REGISTRY ?=

.DEFAULT_GOAL := all

help: ## List every target with one line each
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-14s %s\n", $$1, $$2 }'

all: build ## Build everything (installs npm packages first when missing)

deps: ## Install npm packages (npm ci) when node_modules is missing or stale
	@bash scripts/ensure-npm.sh

build: deps ## Compile every workspace with tsc -b
	npx tsc -b

test: ## Run every test: installs what is missing, starts a private Redis and dockerd, stops them after
	@bash scripts/test.sh

docs: build ## Regenerate the configuration tables in the service READMEs from the zod schemas
	node scripts/config-docs.mjs --write

docker_build: build ## Build the four images (tags latest and <branch>-<short sha>)
	bash scripts/docker/build.sh $(SERVICES)

docker_push: docker_build ## Push the four images to $(IMAGE_REGISTRY)
	IMAGE_REGISTRY=$(IMAGE_REGISTRY) bash scripts/docker/push.sh $(SERVICES)

devnet: build ## Start a local Mars chain (flags: make devnet ARGS="--chain neutron --scenario crash")
	node --max-semi-space-size=64 devnet/dist/main.js $(ARGS)

demo: ## Newcomer's first command: a local Mars chain, Redis and the whole fleet, a live per-block table, a summary (ORCHESTRATOR=docker after make docker_build)
	@bash scripts/demo.sh

run: docker_build ## Operator's command: build the images, start Redis and the manager (ORCHESTRATOR=docker) from .env (ENV_FILE=...)
	@bash scripts/run.sh

stop: ## Stop the managers started by make run (their services scale to zero first); Redis keeps running
	@names="$$(docker ps --filter label=io.mlb.role=manager --format '{{.Names}}')"; [ -z "$$names" ] || docker stop -t 60 $$names

logs: ## Follow the logs of the managers and every container they run (TAIL=20 lines of history each)
	@bash scripts/logs.sh

status: build ## Queue depths, instances and the last block reports of the pipeline in .env (ENV_FILE=...)
	@node manager/dist/cli.js status --env-file "$${ENV_FILE:-.env}"

bench: build ## Run the benchmarks, print a table, write bench/results/*.json (BENCH_POSITIONS, default 1000000; BENCH_RUNS, default 3)
	node --max-semi-space-size=64 bench/dist/main.js

clean: ## Remove build output
	npx tsc -b --clean; rm -rf .build

.PHONY: help all deps build test docs docker_build docker_push devnet demo run stop logs status bench clean
