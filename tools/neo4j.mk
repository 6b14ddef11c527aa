# Local Neo4j 5 Community server (tools/neo4j-server). Include from the root Makefile:
#     include tools/neo4j.mk
# Targets: neo4j-build neo4j-start neo4j-stop neo4j-status neo4j-restart
# Settings (make variables or environment): NEO4J_PORT, NEO4J_DATA_DIR, NEO4J_PASSWORD.

NEO4J_MK_DIR := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
REPO ?= $(abspath $(NEO4J_MK_DIR)..)

NEO4J_PORT ?= 7687
NEO4J_DATA_DIR ?= $(REPO)/.neo4j-data
NEO4J_PASSWORD ?= plangraph-dev
NEO4J_SH := $(NEO4J_MK_DIR)neo4j-server/neo4j.sh

NEO4J_ENV = REPO='$(REPO)' NEO4J_PORT='$(NEO4J_PORT)' \
	NEO4J_DATA_DIR='$(NEO4J_DATA_DIR)' NEO4J_PASSWORD='$(NEO4J_PASSWORD)'

.PHONY: neo4j-build neo4j-start neo4j-stop neo4j-status neo4j-restart

neo4j-build:
	@$(NEO4J_ENV) bash '$(NEO4J_SH)' build

neo4j-start:
	@$(NEO4J_ENV) bash '$(NEO4J_SH)' start

neo4j-stop:
	@$(NEO4J_ENV) bash '$(NEO4J_SH)' stop

neo4j-status:
	@$(NEO4J_ENV) bash '$(NEO4J_SH)' status

neo4j-restart:
	@$(NEO4J_ENV) bash '$(NEO4J_SH)' restart
