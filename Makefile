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
.PHONY: all deps tools kernel rootfs bpf-progs check unit netns demo clean install format fuzz bench
all: tools kernel rootfs bpf-progs

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
$(BUILD)/rootfs/umnet-init: rootfs/init.c rootfs/nodeconf.c src/base64.c
	@mkdir -p $(dir $@)
	$(call msg,CC-STATIC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Irootfs $(CFLAGS) -static -o $@ $^
$(BUILD)/rootfs/umnet-agent: rootfs/agent.c src/base64.c
	@mkdir -p $(dir $@)
	$(call msg,CC-STATIC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Irootfs $(CFLAGS) -static -o $@ $^

kernel:
	@bash kernel/build.sh $(KERNEL_LINK)

# eBPF programs for nodes (docs/ebpf.md): clang -target bpf, libbpf headers
BPF_PROG_SRC := $(wildcard bpf/progs/*.c)
BPF_PROG_OBJ := $(BPF_PROG_SRC:bpf/progs/%.c=$(BUILD)/bpf/%.o)
BPF_ARCH_INC := /usr/include/$(shell $(CC) -print-multiarch 2>/dev/null)
$(BUILD)/bpf/%.o: bpf/progs/%.c
	@mkdir -p $(dir $@)
	$(call msg,CLANG-BPF,$@)
	$(Q)clang -O2 -g -Wall -target bpf -I$(BPF_ARCH_INC) -c -o $@ $<
bpf-progs: $(BPF_PROG_OBJ)

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

unit: $(UNIT_BIN) bpf-progs

# fuzzing (clang's libFuzzer): `make fuzz FUZZ_SECONDS=300`; make check runs
# each harness briefly on the shipped and malformed profiles
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(LIB_SRC)
$(BUILD)/fuzz/fuzz_profile: tests/fuzz/fuzz_profile.c $(wildcard $(FUZZ_SRC)) $(wildcard src/*.h transports/*.h netstack/*.h bpf/*.h)
	@mkdir -p $(dir $@)
	$(call msg,FUZZ,$@)
	$(Q)clang $(BASE_CFLAGS) $(PKG_CFLAGS) -g -O1 \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(wildcard $(FUZZ_SRC)) $(PKG_LIBS)

fuzz: $(BUILD)/fuzz/fuzz_profile
	@bash tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

check: deps all unit $(BUILD)/fuzz/fuzz_profile
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
