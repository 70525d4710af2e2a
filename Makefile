# Cairn: `make up` starts everything locally; `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
LOCAL := deploy/local

.PHONY: deps build up down status infra-up infra-down test e2e bench loadtest faulttest help

help:
	@echo "make up      install what is missing, start Postgres/Redis/Kafka and all eight services"
	@echo "make down    stop everything 'make up' started"
	@echo "make test    install what is missing, start the infrastructure, run every test"
	@echo "make e2e     only the end-to-end suite (tests/e2e) against a stack of its own"
	@echo "make status  what is running"
	@echo "make bench   benchmarks (JSON lines)"
	@echo "make loadtest  100 users x 10 chats through the gateway, then a 10-minute RSS soak (JSON lines)"
	@echo "make faulttest kill/restart every service, Redis, Kafka and Postgres under traffic; nothing lost or twice (JSON line)"

deps:
	@bash $(LOCAL)/deps.sh

build: deps
	@source $(LOCAL)/env.sh && swift build

infra-up: deps
	@bash $(LOCAL)/infra.sh up

infra-down:
	@bash $(LOCAL)/infra.sh down

# The broker keeps its log in a local S3 server here (CAIRN_KAFKA_STORAGE=s3): restarting it loses nothing.
up: deps
	@CAIRN_KAFKA_STORAGE=$${CAIRN_KAFKA_STORAGE:-s3} bash $(LOCAL)/infra.sh up
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

# Under ingestion and chat traffic, kill -9 and restart each service, restart Redis and Kafka, stop
# Postgres for 30 s; then every accepted document indexed once, every metered answer billed once,
# every /ready 200 (deploy/tools/fault_test.py, a stack of its own on CAIRN_FAULT_PORT_BASE,
# 30080). Prints one JSON line; fails on any loss or duplicate. Not in `make test`.
faulttest:
	@bash $(LOCAL)/deps.sh >&2
	@source $(LOCAL)/env.sh && CAIRN_KAFKA_STORAGE=s3 "$$CAIRN_VENV/bin/python" deploy/tools/fault_test.py

# Regenerate Protos/Swift/*.pb.swift from Protos/cairn/v1/*.proto (output is committed; CI never runs this).
.PHONY: protos
protos:
	@bash $(LOCAL)/protos.sh
