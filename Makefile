# Cairn: `make up` starts everything locally; `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
LOCAL := deploy/local

.PHONY: deps build up down status infra-up infra-down test e2e bench loadtest help

help:
	@echo "make up      install what is missing, start Postgres/Redis/Kafka and all eight services"
	@echo "make down    stop everything 'make up' started"
	@echo "make test    install what is missing, start the infrastructure, run every test"
	@echo "make e2e     only the end-to-end suite (tests/e2e) against a stack of its own"
	@echo "make status  what is running"
	@echo "make bench   benchmarks (JSON lines)"
	@echo "make loadtest  100 users x 10 chats through the gateway, then a 10-minute RSS soak (JSON lines)"

deps:
	@bash $(LOCAL)/deps.sh

build: deps
	@source $(LOCAL)/env.sh && swift build

infra-up: deps
	@bash $(LOCAL)/infra.sh up

infra-down:
	@bash $(LOCAL)/infra.sh down

up: deps
	@bash $(LOCAL)/infra.sh up
	@bash $(LOCAL)/services.sh up

down:
	@bash $(LOCAL)/services.sh down
	@bash $(LOCAL)/infra.sh down

status:
	@bash $(LOCAL)/infra.sh status
	@bash $(LOCAL)/services.sh status

test: deps
	@bash $(LOCAL)/test.sh

# Only the end-to-end suite (tests/e2e) against a stack of its own; the last phase of `make test`.
e2e: deps
	@bash $(LOCAL)/test.sh e2e

# JSON lines: our Kafka and Redis clients beside kcat and redis-benchmark, the services, end-to-end chat (release build).
bench:
	@bash $(LOCAL)/deps.sh >&2
	@bash $(LOCAL)/bench.sh all

# 100 concurrent users x 10 streamed chats through the gateway of a release-built stack of its
# own, then the soak (CAIRN_SOAK_MINUTES, 10): every service's RSS each minute. Not in `make test`.
loadtest:
	@bash $(LOCAL)/deps.sh >&2
	@bash $(LOCAL)/bench.sh loadtest

# Regenerate Protos/Swift/*.pb.swift from Protos/cairn/v1/*.proto (output is committed; CI never runs this).
.PHONY: protos
protos:
	@bash $(LOCAL)/protos.sh
