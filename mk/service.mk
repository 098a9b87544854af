# Targets shared by every service Makefile; the including Makefile sets SERVICE.
SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
IMAGE_REGISTRY ?=

.DEFAULT_GOAL := build

help: ## List this service's targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-14s %s\n", $$1, $$2 }'

build: ## Compile this service and the shared library
	cd $(ROOT) && bash scripts/ensure-npm.sh && npx tsc -b $(SERVICE)

test: build ## Run this service's tests (needs redis-server; `make test` at the root installs it)
	cd $(ROOT) && npx vitest run $(SERVICE)/

run: build ## Run this service locally with the environment (and ./.env if present)
	cd $(ROOT) && set -a && { [ ! -f .env ] || . ./.env; } && set +a && node $(SERVICE)/dist/main.js

config: build ## Print every configuration variable of this service
	cd $(ROOT) && node $(SERVICE)/dist/main.js --help

docker_build: build ## Build this service's image multichain-$(SERVICE)
	cd $(ROOT) && bash scripts/docker/build.sh $(SERVICE)

docker_push: docker_build ## Push this service's image to $(IMAGE_REGISTRY)
	cd $(ROOT) && IMAGE_REGISTRY=$(IMAGE_REGISTRY) bash scripts/docker/push.sh $(SERVICE)

.PHONY: help build test run config docker_build docker_push
