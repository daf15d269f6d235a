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
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/umnet
SYSCONFDIR ?= /etc
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
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

# the core, libumnet.a: every .c in src/, transports/, netstack/, bpf/.
# The CLI (src/cli/) links it; the core and the unit tests never see the
# CLI's headers (src/cli/ is on no include path but its own), so a core file
# that includes cli.h does not compile, and a unit test that calls into the
# CLI does not link.
LIB_SRC := $(wildcard src/*.c transports/*.c netstack/*.c bpf/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB_SAN_OBJ := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
LIB_A := $(BUILD)/libumnet.a
LIB_SAN_A := $(BUILD)/san/libumnet.a
CLI_SRC := $(wildcard src/cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
ROOTFS_BIN := $(BUILD)/rootfs/umnet-init $(BUILD)/rootfs/umnet-agent

KERNEL_LINK := $(BUILD)/linux
ROOTFS_IMG := $(BUILD)/rootfs.img

.SECONDARY:
.PHONY: all deps tools kernel rootfs debian-image images bpf-progs check unit netns demo clean install uninstall format fuzz fuzz-build bench man deb soak image
all: tools kernel rootfs bpf-progs man

deps:
	@bash scripts/install-deps.sh

tools: $(BUILD)/umnet $(ROOTFS_BIN)

$(LIB_A): $(LIB_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(LIB_SAN_A): $(LIB_SAN_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/umnet: $(CLI_OBJ) $(LIB_A)
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
NODECONF_SRC := $(wildcard rootfs/nodeconf*.c)
$(BUILD)/rootfs/umnet-init: rootfs/init.c $(NODECONF_SRC) src/base64.c
	@mkdir -p $(dir $@)
	$(call msg,CC-STATIC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Irootfs $(CFLAGS) -static -o $@ $^
$(BUILD)/rootfs/umnet-agent: rootfs/agent.c src/base64.c src/agent_proto.c
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

# the Debian node image (docs/images.md): mmdebstrap's tree cached in
# ~/.cache/umnet, build/debian.img a link to it. Minutes the first time
# (root, Debian's archive), seconds after; not part of `all`.
debian-image: $(ROOTFS_BIN) $(BUILD)/rootfs/umnet
	@bash rootfs/debian.sh $(BUILD)/debian.img $(BUILD)/rootfs

images: rootfs debian-image

# unit tests: built with ASan+UBSan against the library objects
$(BUILD)/tests/%: tests/unit/%.c $(LIB_SAN_A)
	@mkdir -p $(dir $@)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Itests/unit $(PKG_CFLAGS) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

# the node's node.conf parser is not in the core: its test links rootfs/
$(BUILD)/tests/test_nodeconf: tests/unit/test_nodeconf.c $(NODECONF_SRC)
	@mkdir -p $(dir $@)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -Irootfs -Itests/unit $(CFLAGS) $(SAN) -o $@ $^

unit: $(UNIT_BIN) bpf-progs

# fuzzing (clang's libFuzzer): one harness per parser, tests/fuzz/fuzz_NAME.c
# with its seed corpus in tests/fuzz/corpus/NAME/. Objects are instrumented
# separately under $(BUILD)/fuzz/ and linked from an archive, so a harness
# pulls in only what it uses. `make fuzz FUZZ_SECONDS=300` runs each harness
# that long; make check runs each briefly over its corpus.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_LIB_SRC := $(LIB_SRC) $(NODECONF_SRC)
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

check: deps all debian-image unit $(FUZZ_BIN)
	@bash tests/run.sh $(BUILD)

demo: deps all
	@bash scripts/demo.sh $(BUILD)

# the soak: SOAK_CYCLES (default 300) randomized cycles of up/down, labs and
# kill -9 faults, checking for leaks after each; never part of check
soak: all
	@BUILD=$(BUILD) bash tests/soak/soak.sh

# benchmarks: never part of check (BENCH="boot forward" selects); their
# extra packages (gnuplot, perf) come from scripts/install-deps.sh --bench
$(BUILD)/bench/pktgen: bench/pktgen.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -pthread -o $@ $<

bench: deps all debian-image $(BUILD)/bench/pktgen
	@bash scripts/install-deps.sh --bench
	@bash bench/run.sh $(BUILD)

# man pages: made from docs/*.md (the one source) by scripts/md2man.awk;
# each page names its man page in a <!-- man: ... --> line
VERSION := $(shell grep -rhs --include='*.h' --exclude-dir=build --exclude-dir=.git \
	'^\#define UMNET_VERSION "' . | head -1 | cut -d'"' -f2)
MAN_DATE := $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)} +%F)
MAN_PAGES := $(BUILD)/man/umnet.8 $(BUILD)/man/umnet-profile.5 $(BUILD)/man/umnet-lab.5
man: $(MAN_PAGES)

$(BUILD)/man/umnet.8: docs/umnet.md
$(BUILD)/man/umnet-profile.5: docs/profile.md
$(BUILD)/man/umnet-lab.5: docs/lab.md
$(MAN_PAGES): scripts/md2man.awk
	@mkdir -p $(dir $@)
	$(call msg,MAN,$@)
	$(Q)awk -v version='$(VERSION)' -v date='$(MAN_DATE)' -v docdir='$(DOCDIR)' \
		-f scripts/md2man.awk $(filter %.md,$^) >$@.tmp || { rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@

# the binary, the kernel and root image where it looks for them ($(LIBDIR),
# or bin/../lib/umnet of wherever the tree is moved), man pages, bash
# completion, the systemd unit umnet@.service, the docs and example configs
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(DOCDIR)/transports $(DESTDIR)$(DOCDIR)/img $(DESTDIR)$(DOCDIR)/examples \
		$(DESTDIR)$(SYSCONFDIR)/umnet
	install -m 0755 $(BUILD)/umnet $(DESTDIR)$(BINDIR)/umnet
	install -m 0755 $(KERNEL_LINK) $(DESTDIR)$(LIBDIR)/linux
	install -m 0644 $(KERNEL_LINK).config $(DESTDIR)$(LIBDIR)/linux.config
	install -m 0644 $(ROOTFS_IMG) $(DESTDIR)$(LIBDIR)/rootfs.img
	if [ -e $(BUILD)/debian.img ]; then \
		install -m 0644 $(BUILD)/debian.img $(DESTDIR)$(LIBDIR)/debian.img; fi
	install -m 0644 $(BUILD)/man/umnet.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(BUILD)/man/umnet-profile.5 $(BUILD)/man/umnet-lab.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 dist/umnet.bash $(DESTDIR)$(BASHCOMPDIR)/umnet
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		dist/umnet@.service.in >$(DESTDIR)$(SYSTEMDUNITDIR)/umnet@.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/umnet@.service
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 docs/transports/*.md $(DESTDIR)$(DOCDIR)/transports/
	install -m 0644 docs/img/*.png $(DESTDIR)$(DOCDIR)/img/
	install -m 0644 configs/*.profile configs/*.nft $(DESTDIR)$(DOCDIR)/examples/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/umnet $(DESTDIR)$(MANDIR)/man8/umnet.8 \
		$(DESTDIR)$(MANDIR)/man5/umnet-profile.5 $(DESTDIR)$(MANDIR)/man5/umnet-lab.5 \
		$(DESTDIR)$(BASHCOMPDIR)/umnet $(DESTDIR)$(SYSTEMDUNITDIR)/umnet@.service
	rm -rf $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DOCDIR)
	rmdir $(DESTDIR)$(SYSCONFDIR)/umnet 2>/dev/null || true

# a Debian package (debian/), built with dpkg-buildpackage into $(BUILD)/deb,
# checked with lintian, unpacked with dpkg -x and a profile booted from it
deb:
	@bash scripts/install-deps.sh --deb
	@bash scripts/deb.sh $(BUILD)/deb

# an OCI image without Docker (buildah, from scratch): umnet, the kernel and
# the root image; entrypoint `umnet node run` (docs/scale.md)
IMAGE ?= localhost/umnet:latest
image: all $(if $(IMAGE_DEBIAN),debian-image)
	@bash scripts/install-deps.sh
	@IMAGE_DEBIAN=$(IMAGE_DEBIAN) bash scripts/image.sh $(BUILD) $(IMAGE)

format:
	clang-format -i $(wildcard src/*.[ch] src/cli/*.[ch] netstack/*.[ch] transports/*.[ch] rootfs/*.[ch] tests/unit/*.[ch])

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
