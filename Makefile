# moongate: the two-command quick start (`make demo`, `make test`) over CMake.
# Both first make sure the Debian build dependencies are there (installing them as root).

BUILD   ?= build
CMAKE   ?= cmake
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
# Build dependencies, and what the test suite additionally uses (schema validators, pre-commit).
BUILD_PKGS = build-essential cmake pkg-config liblua5.4-dev libyaml-dev libpcre2-dev libcmocka-dev
TEST_PKGS  = python3 python3-jsonschema libxml2-utils pre-commit git
# Wanted but not required: without them the tests that need them skip (memcheck of the goldens).
OPTIONAL_TEST_PKGS = valgrind

# Sanitizer and fuzzing builds (make test also runs the suite under ASan+UBSan; make fuzz).
ASAN_BUILD   ?= build-asan
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= json yaml config pipeline
ASAN_FLAGS   = -DMOONGATE_WERROR=ON -DMOONGATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_FLAGS=-O1
FUZZ_FLAGS   = -DMOONGATE_FUZZ=ON -DMOONGATE_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug \
	"-DCMAKE_C_FLAGS=-O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"

.PHONY: all deps test-deps build demo test test-sanitize fuzz clean

all: build

deps:
	@sh scripts/deps.sh $(BUILD_PKGS)

test-deps:
	@sh scripts/deps.sh $(BUILD_PKGS) $(TEST_PKGS)
	@sh scripts/deps.sh $(OPTIONAL_TEST_PKGS) > /dev/null || \
		echo "moongate: $(OPTIONAL_TEST_PKGS) not installed: the tests that need it are skipped"

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DMOONGATE_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)/moongate

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-sanitize

test-sanitize: test-deps
	$(CMAKE) -S . -B $(ASAN_BUILD) $(ASAN_FLAGS)
	$(CMAKE) --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Each target fuzzes for FUZZ_SECONDS; crashing inputs land in fuzz/regressions/<target>/.
fuzz:
	CC=clang $(CMAKE) -S . -B $(FUZZ_BUILD) $(FUZZ_FLAGS)
	$(CMAKE) --build $(FUZZ_BUILD) -j $(JOBS) $(FUZZ_TARGETS:%=--target fuzz_%)
	for t in $(FUZZ_TARGETS); do sh fuzz/run.sh $(FUZZ_BUILD) $$t $(FUZZ_SECONDS) || exit 1; done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
