# moongate: the two-command quick start (`make demo`, `make test`) over CMake.
# Both first make sure the Debian build dependencies are there (installing them as root).

BUILD   ?= build
CMAKE   ?= cmake
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
DEB_PKGS = build-essential cmake pkg-config liblua5.4-dev libyaml-dev libpcre2-dev libcmocka-dev
PC_MODS  = lua5.4 yaml-0.1 libpcre2-8 cmocka

.PHONY: all deps build demo test clean

all: build

deps:
	@sh scripts/deps.sh "$(DEB_PKGS)" "$(PC_MODS)"

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DMOONGATE_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)/moongate

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
