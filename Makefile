# SPDX-License-Identifier: GPL-2.0
# umnet: plain GNU make. `make` builds the CLI, the kernel and the rootfs;
# `make check` runs every unit and netns test; `make demo` shows a router.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
PKG_CONFIG ?= pkg-config
PKGS := libmnl libpcap libcrypto
V ?= 0

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= $(if $(CI),-Werror,)
LIBDIR ?= $(PREFIX)/lib/umnet
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -MMD -MP \
	-DUMNET_LIBDIR='"$(LIBDIR)"' \
	-Isrc -Inetstack -Itransports -Ibpf -fno-strict-aliasing
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif

# the CLI and its core: every .c in src/, transports/, netstack/, bpf/
LIB_SRC := $(filter-out src/umnet.c,$(wildcard src/*.c transports/*.c netstack/*.c bpf/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB_SAN_OBJ := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
ROOTFS_BIN := $(BUILD)/rootfs/umnet-init $(BUILD)/rootfs/umnet-agent

KERNEL_LINK := $(BUILD)/linux
ROOTFS_IMG := $(BUILD)/rootfs.img

.SECONDARY:
.PHONY: all deps tools kernel rootfs check unit netns demo clean install format fuzz fuzz-build bench
all: tools kernel rootfs

deps:
	@bash scripts/install-deps.sh

tools: $(BUILD)/umnet $(ROOTFS_BIN)

$(BUILD)/umnet: $(BUILD)/obj/src/umnet.o $(LIB_OBJ)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(BASE_CFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC-SAN,$<)
	$(Q)$(CC) $(BASE_CFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

# in-node programs: static, no library dependencies inside the node
$(BUILD)/rootfs/umnet-init: rootfs/init.c rootfs/nodeconf.c
	@mkdir -p $(dir $@)
	$(call msg,CC-STATIC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Irootfs $(CFLAGS) -static -o $@ $^
$(BUILD)/rootfs/umnet-agent: rootfs/agent.c src/base64.c src/agent_proto.c
	@mkdir -p $(dir $@)
	$(call msg,CC-STATIC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Irootfs $(CFLAGS) -static -o $@ $^

kernel:
	@bash kernel/build.sh $(KERNEL_LINK)

# the node image also ships umnet itself, so a node can build the far end
# of another node's links with umnet's own netstack (hostsetup --apply)
$(BUILD)/rootfs/umnet: $(BUILD)/umnet
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

rootfs: $(ROOTFS_BIN) $(BUILD)/rootfs/umnet
	@bash rootfs/build.sh $(ROOTFS_IMG) $(BUILD)/rootfs

# unit tests: built with ASan+UBSan against the library objects
$(BUILD)/tests/%: tests/unit/%.c $(LIB_SAN_OBJ)
	@mkdir -p $(dir $@)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Itests/unit $(PKG_CFLAGS) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

unit: $(UNIT_BIN)

# fuzzing (clang's libFuzzer): one harness per parser, tests/fuzz/fuzz_NAME.c
# with its seed corpus in tests/fuzz/corpus/NAME/. Objects are instrumented
# separately under $(BUILD)/fuzz/ and linked from an archive, so a harness
# pulls in only what it uses. `make fuzz FUZZ_SECONDS=300` runs each harness
# that long; make check runs each briefly over its corpus.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_LIB_SRC := $(LIB_SRC) rootfs/nodeconf.c
FUZZ_LIB_OBJ := $(sort $(FUZZ_LIB_SRC:%.c=$(BUILD)/fuzz/obj/%.o))
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC-FUZZ,$<)
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) -Irootfs $(PKG_CFLAGS) -g -O1 \
		-fsanitize=fuzzer-no-link $(FUZZ_SAN) -c -o $@ $<

$(BUILD)/fuzz/libumnet.a: $(FUZZ_LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o $(BUILD)/fuzz/libumnet.a
	$(call msg,FUZZ,$@)
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(PKG_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@bash tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

check: deps all unit $(FUZZ_BIN)
	@bash tests/run.sh $(BUILD)

demo: deps all
	@bash scripts/demo.sh $(BUILD)

# benchmarks: never part of check (BENCH="boot forward" selects); their
# extra packages (gnuplot, perf) come from scripts/install-deps.sh --bench
$(BUILD)/bench/pktgen: bench/pktgen.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -pthread -o $@ $<

bench: deps all $(BUILD)/bench/pktgen
	@bash scripts/install-deps.sh --bench
	@bash bench/run.sh $(BUILD)

# the binary, and the kernel and root image where it looks for them
# ($(LIBDIR), or bin/../lib/umnet of wherever the tree is moved)
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)
	install -m 0755 $(BUILD)/umnet $(DESTDIR)$(PREFIX)/bin/umnet
	install -m 0755 $(KERNEL_LINK) $(DESTDIR)$(LIBDIR)/linux
	install -m 0644 $(KERNEL_LINK).config $(DESTDIR)$(LIBDIR)/linux.config
	install -m 0644 $(ROOTFS_IMG) $(DESTDIR)$(LIBDIR)/rootfs.img

format:
	clang-format -i $(wildcard src/*.[ch] netstack/*.[ch] transports/*.[ch] rootfs/*.[ch] tests/unit/*.[ch])

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
