# moongate: the two-command quick start (`make demo`, `make test`) over CMake.
# Both first make sure the Debian build dependencies are there (installing them as root).

BUILD   ?= build
CMAKE   ?= cmake
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
# Build dependencies, and what the test suite additionally uses (schema validators, pre-commit).
BUILD_PKGS = build-essential cmake pkg-config liblua5.4-dev libyaml-dev libpcre2-dev libcmocka-dev
TEST_PKGS  = python3 python3-jsonschema libxml2-utils pre-commit git

.PHONY: all deps test-deps build demo test clean

all: build

deps:
	@sh scripts/deps.sh $(BUILD_PKGS)

test-deps:
	@sh scripts/deps.sh $(BUILD_PKGS) $(TEST_PKGS)

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DMOONGATE_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)/moongate

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
