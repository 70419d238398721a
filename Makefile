# workbridge: `make demo` and `make test` are all a newcomer needs; each installs its own tools
# (idempotently, quietly when present) on a fresh Debian machine with Rust and Node.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

TARGET      := wasm32-unknown-unknown
VENDORS     := cam yunzhijia xuanxuan ytx
REL         := target/$(TARGET)/release
TOOLS       := $(CURDIR)/.tools
# wasm-bindgen-cli must be exactly the version of the crate in Cargo.lock.
WB_VERSION  := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
WASM_BINDGEN := $(TOOLS)/bin/wasm-bindgen
TEST_RUNNER := $(TOOLS)/bin/wasm-bindgen-test-runner
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT        ?= 8080
# binaryen from npm (v132): Debian's binaryen 108 breaks the externref table wasm-bindgen adds.
# The flags name the features Rust's wasm32 target enables, so wasm-opt keeps them; the section
# that lists them is then of no use to anyone (--strip-target-features, 0.1 KiB gzip). Not
# --traps-never-happen (1.1 KiB less): it may delete the checks whose failure is a trap.
WASM_OPT    := node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --zero-filled-memory --enable-reference-types --enable-multivalue --enable-bulk-memory \
               --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int \
               --strip-debug --strip-producers --strip-target-features
# The Node entries' wasm is built for speed (Cargo.toml's `node` profile), and optimized so.
WASM_OPT_NODE := node_modules/.bin/wasm-opt -O3 --enable-reference-types --enable-multivalue --enable-bulk-memory \
               --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int \
               --strip-debug --strip-producers --strip-target-features
NODE_REL    := target/$(TARGET)/node
# The JavaScript build of the client for pages without WebAssembly (workbridge.global.nowasm.js):
# a client wasm without reference types, in its own target dir so that the normal build is not
# redone each time. wasm2js takes one table at most, and wasm-bindgen's externref table would be
# a second; it cannot translate the float-to-int conversions that do not trap, so they are lowered.
NOREF_DIR   := target/noreftypes
WASM_OPT_JS := node_modules/.bin/wasm-opt --enable-multivalue --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
               --enable-nontrapping-float-to-int --llvm-nontrapping-fptoint-lowering -Oz --converge --low-memory-unused \
               --zero-filled-memory --strip-debug --strip-producers
WASM2JS     := node_modules/.bin/wasm2js -Oz --enable-bulk-memory --enable-mutable-globals --enable-sign-ext
# The client wasms are built without the `std` feature (no_std: see Cargo.toml); the four-vendor
# one names its features, as the per-vendor ones do.
CLIENT_ALL  := --no-default-features --features client,cam,yunzhijia,xuanxuan,ytx
SOURCES     := $(shell find src pkg-template -type f) Cargo.toml Cargo.lock README.md CHANGELOG.md LICENSE

.PHONY: help tools build docs lint test test-native test-unit test-wasm test-wasm-node test-wasm-browser test-e2e demo bench clean

help:
	@echo "make demo    build, start the sandbox, run the example, serve www/ on PORT (default $(PORT))"
	@echo "make test    native tests, wasm tests in Node and headless Chromium, end-to-end tests"
	@echo "make build   compile to wasm and assemble the npm package in pkg/"
	@echo "make lint    cargo fmt --check, prettier --check and clippy -D warnings (make test runs it)"
	@echo "make docs    regenerate docs/API.md and the generated declarations from the operation tables"
	@echo "make bench   wasm size, import time, time per call against a hand-written fetch"

# ---- tools -------------------------------------------------------------------------------

tools: .tools/rust-target $(WASM_BINDGEN) .tools/apt node_modules/.installed

.tools/rust-target:
	@mkdir -p .tools
	@rustup target list --installed | grep -qx $(TARGET) || rustup target add $(TARGET)
	@touch $@

$(WASM_BINDGEN): Cargo.lock
	@if [ "$$($@ --version 2>/dev/null | awk '{print $$2}')" != "$(WB_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WB_VERSION) into .tools (about 3 minutes, once)"; \
	  cargo install -q wasm-bindgen-cli --version $(WB_VERSION) --root $(TOOLS) --force; \
	fi
	@touch $@

# npm dev dependencies: binaryen (wasm-opt), later the page-test tools.
node_modules/.installed: package.json
	@npm install --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

# Debian packages: Chromium and its driver, for the browser tests; redis-server, for the test
# of a token shared across processes; php-cli, for the test of XuanXuan against PHP's own
# parse_str and http_build_query (tests/php/entry.php). Checked again whenever this file changes.
.tools/apt: Makefile
	@mkdir -p .tools
	@need=""; [ -x /usr/bin/chromium ] || need="$$need chromium"; \
	  [ -x /usr/bin/chromedriver ] || need="$$need chromium-driver"; \
	  [ -x /usr/bin/redis-server ] || need="$$need redis-server"; \
	  [ -x /usr/bin/php ] || need="$$need php-cli"; \
	  if [ -n "$$need" ]; then \
	    echo "installing$$need from Debian"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$need >/dev/null; \
	  fi
	@touch $@

# ---- build -------------------------------------------------------------------------------

build: pkg/.built

pkg/.built: $(SOURCES) | tools
	@rm -rf pkg target/wb/noref && mkdir -p pkg target/wb/noref
	@# The tables with their docs, from a native build: the entries and the CLI are derived from them.
	cargo run -q --bin workbridge-tables > pkg/operations.json
	cargo build -q --release --target $(TARGET) --lib $(CLIENT_ALL)
	cp $(REL)/workbridge.wasm target/wb/workbridge.wasm
	cargo build -q --profile node --target $(TARGET) --lib $(CLIENT_ALL)
	cp $(NODE_REL)/workbridge.wasm target/wb/workbridge_node.wasm
	cargo build -q --release --target $(TARGET) --lib --no-default-features --features sandbox
	cp $(REL)/workbridge.wasm target/wb/workbridge_sandbox.wasm
	$(WASM_BINDGEN) target/wb/workbridge_node.wasm --target nodejs --no-typescript --out-name workbridge --out-dir pkg/wasm/node
	$(WASM_BINDGEN) target/wb/workbridge.wasm --target web --no-typescript --out-dir pkg/wasm/web
	$(WASM_BINDGEN) target/wb/workbridge_sandbox.wasm --target nodejs --no-typescript --out-dir pkg/sandbox/wasm
	$(WASM_BINDGEN) target/wb/workbridge_sandbox.wasm --target web --no-typescript --out-dir pkg/sandbox/web
	@for w in pkg/wasm/web/workbridge_bg.wasm pkg/sandbox/wasm/workbridge_sandbox_bg.wasm pkg/sandbox/web/workbridge_sandbox_bg.wasm; do \
	  $(WASM_OPT) $$w -o $$w; done
	$(WASM_OPT_NODE) pkg/wasm/node/workbridge_bg.wasm -o pkg/wasm/node/workbridge_bg.wasm
	@# One wasm per vendor, for workbridge/cam and its siblings (the crate alone recompiles per feature).
	@for v in $(VENDORS); do \
	  cargo build -q --release --target $(TARGET) --lib --no-default-features --features client,$$v || exit 1; \
	  cp $(REL)/workbridge.wasm target/wb/workbridge_$$v.wasm; \
	  $(WASM_BINDGEN) target/wb/workbridge_$$v.wasm --target web --no-typescript --out-dir pkg/$$v/wasm/web || exit 1; \
	  $(WASM_OPT) pkg/$$v/wasm/web/workbridge_$${v}_bg.wasm -o pkg/$$v/wasm/web/workbridge_$${v}_bg.wasm || exit 1; \
	  cargo build -q --profile node --target $(TARGET) --lib --no-default-features --features client,$$v || exit 1; \
	  cp $(NODE_REL)/workbridge.wasm target/wb/workbridge_node_$$v.wasm; \
	  $(WASM_BINDGEN) target/wb/workbridge_node_$$v.wasm --target nodejs --no-typescript --out-name workbridge --out-dir pkg/$$v/wasm/node || exit 1; \
	  $(WASM_OPT_NODE) pkg/$$v/wasm/node/workbridge_bg.wasm -o pkg/$$v/wasm/node/workbridge_bg.wasm || exit 1; \
	done
	RUSTFLAGS="-C target-feature=-reference-types" CARGO_TARGET_DIR=$(NOREF_DIR) cargo build -q --release --target $(TARGET) --lib $(CLIENT_ALL)
	node pkg-template/drop-target-features.mjs $(NOREF_DIR)/$(TARGET)/release/workbridge.wasm target/wb/noref/workbridge.wasm
	$(WASM_BINDGEN) target/wb/noref/workbridge.wasm --target web --no-typescript --out-dir target/wb/noref
	$(WASM_OPT_JS) target/wb/noref/workbridge_bg.wasm -o target/wb/noref/workbridge_bg.wasm
	$(WASM2JS) target/wb/noref/workbridge_bg.wasm -o target/wb/noref/workbridge_bg.asm.js
	node pkg-template/build.mjs pkg target/wb/noref
	@printf 'client wasm: %s bytes, %s gzip -9\n' "$$(stat -c %s pkg/wasm/web/workbridge_bg.wasm)" "$$(gzip -9c pkg/wasm/web/workbridge_bg.wasm | wc -c)"
	@for v in $(VENDORS); do printf 'client wasm, %s alone: %s bytes, %s gzip -9\n' $$v "$$(stat -c %s pkg/$$v/wasm/web/workbridge_$${v}_bg.wasm)" "$$(gzip -9c pkg/$$v/wasm/web/workbridge_$${v}_bg.wasm | wc -c)"; done
	@for f in workbridge.global.js workbridge.global.wasm.js workbridge.global.nowasm.js; do \
	  printf '%s: %s bytes, %s gzip -9\n' $$f "$$(stat -c %s pkg/$$f)" "$$(gzip -9c pkg/$$f | wc -c)"; done
	@touch $@

# ---- test --------------------------------------------------------------------------------

test: lint test-native test-unit test-wasm test-e2e

# The Rust and the JavaScript formatted (rustfmt, prettier), and clippy-clean.
lint: .tools/rust-target node_modules/.installed
	cargo fmt --check
	node_modules/.bin/prettier --check --log-level warn .
	cargo clippy -q --all-targets --all-features -- -D warnings
	cargo clippy -q --target $(TARGET) --lib -- -D warnings
	cargo clippy -q --target $(TARGET) --lib $(CLIENT_ALL) -- -D warnings
	cargo clippy -q --target $(TARGET) --lib --no-default-features --features sandbox -- -D warnings
	@for v in $(VENDORS); do cargo clippy -q --target $(TARGET) --lib --no-default-features --features client,$$v -- -D warnings || exit 1; done

# docs/API.md and the generated declarations (pkg-template/types/generated/) from the operation
# tables (tests/e2e/docs.test.mjs fails when they are stale). The package is then assembled again,
# so that pkg/index.d.ts has them without recompiling what they do not change.
docs: build
	node pkg-template/gen-docs.mjs pkg docs/API.md
	node pkg-template/gen-types.mjs pkg pkg-template/types/generated
	node pkg-template/build.mjs pkg target/wb/noref
	@touch pkg/.built

test-native:
	cargo test -q --all-features

# The JS modules alone, with a fake fetch and a fake wasm (no build needed).
test-unit:
	node --test tests/unit/

test-wasm: test-wasm-node test-wasm-browser

test-wasm-node: tools
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$(TEST_RUNNER) cargo test --target $(TARGET) --test wasm

test-wasm-browser: tools
	WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
	  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$(TEST_RUNNER) cargo test --target $(TARGET) --test wasm

test-e2e: build
	node --expose-gc --test --test-timeout=180000 --test-reporter=spec tests/e2e/

# ---- demo and bench ----------------------------------------------------------------------

demo: build
	PORT=$(PORT) node examples/demo.mjs

bench: build .tools/bin/twiggy
	node --expose-gc bench/run.mjs

# twiggy breaks the wasm size down by function and crate (make bench's size report).
.tools/bin/twiggy:
	@echo "installing twiggy into .tools (about 2 minutes, once)"
	@cargo install -q twiggy --root $(TOOLS)

clean:
	rm -rf pkg target/wb tests/e2e/.work bench/.work
