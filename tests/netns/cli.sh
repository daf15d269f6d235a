#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The CLI without booting anything: canonical command lines and host plans
# of the shipped profiles, malformed profiles rejected with file:line,
# usage errors: every command and subcommand takes --help and refuses an
# unknown option with exit 2, bad numbers get iproute2's error, a failed
# call never prints a bare "umnet: ". Nothing is created on the host.
source "$(dirname "$0")/lib.sh"

[ -x "$UMNET" ] || { echo "$UMNET missing: run make"; exit 1; }
cd "$TOP" || exit 1
tmpdir T

# fixed paths so the output is the same on every machine
cl() { UMNET_KERNEL=/K/linux UMNET_ROOTFS=/R/rootfs.img UMNET_STATE_DIR=/S "$UMNET" cmdline "$@"; }

expect_out() { # expect_out "what" "expected output" CMD...
	local msg=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		log_test 0 "$msg"
	else
		log_fail "$msg" "got:"$'\n'"$got"$'\n'"want:"$'\n'"$want"
	fi
}

expect_out "cmdline: router.profile" \
"/K/linux mem=64M umid=r1 uml_dir=/S/r1/node/uml ubd0=/S/r1/node/root.cow,/R/rootfs.img ubd1r=/S/r1/node/config.img root=/dev/ubda rw loglevel=4 con=null con0=null,fd:1 con1=pts con2=pts ssl=null mconsole=notify:/S/r1/node/notify.sock vec0:transport=raw,ifname=r1-u0,depth=128,gro=1 vec1:transport=raw,ifname=r1-u1,depth=128,gro=1" \
	cl configs/router.profile

expect_out "cmdline: firewall.profile" \
"/K/linux mem=64M umid=fw1 uml_dir=/S/fw1/node/uml ubd0=/S/fw1/node/root.cow,/R/rootfs.img ubd1r=/S/fw1/node/config.img root=/dev/ubda rw loglevel=4 con=null con0=null,fd:1 con1=pts con2=pts ssl=null mconsole=notify:/S/fw1/node/notify.sock vec0:transport=raw,ifname=fw1-u0,gro=1 vec1:transport=raw,ifname=fw1-u1,gro=1" \
	cl configs/firewall.profile

# veth_plan NODE N NS ADDR ROUTE: the host side of a raw link to a veth in
# NS, as hostsetup --dry-run prints it
veth_plan() {
	printf '%s\n' "ip netns add $3" \
		"ip link add $1-u$2 type veth peer name $1-h$2" \
		"ip link set $1-u$2 up" "ip link set $1-h$2 netns $3" \
		"ip -n $3 addr add $4 dev $1-h$2" "ip -n $3 link set $1-h$2 up" \
		"ip -n $3 route add $5"
}
expect_out "hostsetup --dry-run: router.profile" \
"# host side of r1 ($TOP/configs/router.profile)
$(veth_plan r1 0 lan0 10.1.0.1/24 "10.2.0.0/24 via 10.1.0.2")
$(veth_plan r1 1 lan1 10.2.0.1/24 "10.1.0.0/24 via 10.2.0.2")" \
	"$UMNET" hostsetup --dry-run "$TOP/configs/router.profile"

# transports with no host side say so
st0=$(mktemp -d /tmp/umnet-test.XXXXXX); TMP_LIST+=("$st0")
printf '[appliance]\nname = w1\n[interface vec0]\ntransport = fd\nhost = wire\nwire = w\n' >"$st0/w.profile"
printf '[appliance]\nname = b1\n[interface vec0]\ntransport = bess\ndst = sw.sock\n' >"$st0/b.profile"
for f in w b; do
	expect_out "hostsetup --dry-run: $f.profile has no host side" \
"# host side of ${f}1 ($st0/$f.profile)
# nothing to create on the host" "$UMNET" hostsetup --dry-run "$st0/$f.profile"
done
expect_out "cmdline: bess dst is made absolute" \
"/K/linux mem=64M umid=b1 uml_dir=/S/b1/node/uml ubd0=/S/b1/node/root.cow,/R/rootfs.img ubd1r=/S/b1/node/config.img root=/dev/ubda rw loglevel=4 con=null con0=null,fd:1 con1=pts con2=pts ssl=null mconsole=notify:/S/b1/node/notify.sock vec0:transport=bess,dst=$st0/sw.sock,mac=8a:42:0e:62:9f:9b" \
	cl "$st0/b.profile"

# every malformed profile: exit 1 and the expected file:line message
for f in tests/profiles/bad/*.profile; do
	want=$(sed -n '1s/^# expect: //p' "$f")
	out=$("$UMNET" cmdline "$f" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && [[ "$out" == *"$want"* ]] && [[ "$out" == "umnet: $f:"* ]]; then
		log_test 0 "rejects $(basename "$f")"
	else
		log_fail "rejects $(basename "$f")" "exit $rc: $out"$'\n'"want: $want"
	fi
done

# a state directory the kernel command line would split: refused, named
out=$(UMNET_KERNEL=/K/linux UMNET_ROOTFS=/R/rootfs.img UMNET_STATE_DIR="/S x" \
	"$UMNET" cmdline configs/router.profile 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *'refusing to start UML: the command line argument "uml_dir=/S x/r1/node/uml" contains a space'* ]]
log_test $? "cmdline: a state dir with a space is refused (argv_check): $out"

# numeric options: the whole argument, in range, iproute2-style, exit 2
for args in "lab up --jobs 8x configs/labs/lan-switch.lab|8x|--jobs takes a whole number 1..64" \
	"lab up --jobs 65 configs/labs/lan-switch.lab|65|--jobs takes a whole number 1..64" \
	"lab up --timeout 10s configs/labs/lan-switch.lab|10s|--timeout takes a whole number 1..86400" \
	"up --timeout -1 configs/router.profile|-1|--timeout takes a whole number 1..86400" \
	"exec nosuchnode --timeout 0x10 -- true|0x10|--timeout takes a whole number 1..86400" \
	"node run --timeout 0x10 configs/router.profile|0x10|--timeout takes a whole number 1..86400" \
	"node run --unpack files.tar=/tmp/x configs/router.profile|files.tar=/tmp/x|--unpack takes ARCHIVE=DIR, both absolute paths" \
	"switch -a 1e3 -s /nonexistent/sw.sock|1e3|-a takes a whole number 1..86400" \
	"switch -m 0999 -s /nonexistent/sw.sock|0999|-m takes an octal mode, 0000..0777" \
	"capture r1 vec0 -c 10k|10k|-c takes a whole number 1..100000000" \
	"lab capture nosuchlab ab --duration 1m|1m|--duration takes a whole number 1..86400" \
	"lab link set nosuchlab ab --rate fast|fast|--rate: not a rate: use a number and bit, kbit, mbit or gbit, e.g. 10mbit or 500kbit"; do
	IFS='|' read -r cmd arg what <<<"$args"
	# shellcheck disable=SC2086
	out=$("$UMNET" $cmd 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$out" = "umnet: Error: argument \"$arg\" is wrong: $what" ]
	log_test $? "umnet $cmd: exit 2, $out"
done

# node run --unpack: a damaged archive is refused before anything boots and
# its directory removed; a directory that is not an earlier --unpack's is
# left alone
head -c 1024 /dev/urandom >"$T/junk.tar"
out=$("$UMNET" node run --unpack "$T/junk.tar=$T/unpacked" configs/router.profile 2>&1); rc=$?
[ $rc -eq 1 ] && [ "$out" = "umnet: --unpack: $T/junk.tar: block 0: not a ustar header (or a damaged one)" ] &&
	[ ! -e "$T/unpacked" ]
log_test $? "node run --unpack: a damaged archive: exit 1, nothing left: $out"
mkdir "$T/mine" && touch "$T/mine/keep"
tar --format=ustar -cf "$T/ok.tar" -C "$T" junk.tar
out=$("$UMNET" node run --unpack "$T/ok.tar=$T/mine" configs/router.profile 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"$T/mine exists (and is not an earlier --unpack's)"* ]] && [ -e "$T/mine/keep" ]
log_test $? "node run --unpack: a directory of someone else's is left alone: $out"

# exec and mconsole: NAME [options] [--] COMMAND, read by one helper; the
# command's own words, options included, are left alone
for args in "1|exec --timeout 5 nosuchnode -- true" "1|exec nosuchnode --timeout 5 true" \
	"1|exec nosuchnode true --timeout 0x10" "1|mconsole nosuchnode -- version --timeout" \
	"2|exec nosuchnode" "2|exec nosuchnode --" "2|mconsole nosuchnode" \
	"2|mconsole nosuchnode --timeout 5 version"; do
	IFS='|' read -r want cmd <<<"$args"
	# shellcheck disable=SC2086 # $cmd: words
	out=$(UMNET_STATE_DIR=/nonexistent/x "$UMNET" $cmd 2>&1); rc=$?
	if [ "$want" = 1 ]; then
		[ $rc -eq 1 ] && [[ $out == *"no node named nosuchnode"* ]]
	else
		[ $rc -eq 2 ] && [[ $out == *Usage:* ]]
	fi
	log_test $? "umnet $cmd: exit $want${out:+ (${out%%$'\n'*})}"
done

# a path option too long for PATH_MAX: the same error in 'switch' and
# 'switch status' (one helper), exit 2, nothing started
long=/$(printf 'x%.0s' {1..5000})
for args in "switch|-s" "switch status|-s" "switch|--mirror"; do
	IFS='|' read -r cmd opt <<<"$args"
	# shellcheck disable=SC2086 # $cmd: one or two words
	out=$("$UMNET" $cmd "$opt" "$long" -s /nonexistent/sw.sock 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$out" = "umnet: $opt $long: path too long" ]
	log_test $? "umnet $cmd $opt PATH_MAX+: exit 2, '$opt ...: path too long'"
done

# one CLI style: every command of 'umnet help', and every subcommand its
# usage lists, takes --help (usage on stdout, nothing on stderr, exit 0) and
# refuses an unknown option (usage on stderr, nothing on stdout, exit 2)
cmds=$("$UMNET" help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }')
subs=$(for c in $cmds; do
	"$UMNET" "$c" --help 2>/dev/null | grep -E '^(Usage: |       )umnet ' |
		grep -oE "umnet $c [a-z]+( [a-z|]+)?" |
		awk '{ n = split($4, w, "|"); if (!n) print $2, $3; for (i = 1; i <= n; i++) print $2, $3, w[i] }'
done | sed 's/^umnet //' | sort -u)
[ -n "$cmds" ] && [ "$(wc -l <<<"$subs")" -ge 15 ]
log_test $? "$(wc -w <<<"$cmds") commands in 'umnet help', $(wc -l <<<"$subs") subcommands in their usages"
bad_help='' bad_opt=''
# shellcheck disable=SC2086 # $cmds: one word each
while read -r -a c; do
	[ ${#c[@]} -gt 0 ] || continue
	out=$("$UMNET" "${c[@]}" --help 2>"$T/err"); rc=$?
	[ $rc -eq 0 ] && [[ $out == Usage:* ]] && [ ! -s "$T/err" ] || bad_help+=" '${c[*]}' (exit $rc)"
	out=$("$UMNET" "${c[@]}" --no-such-option 2>"$T/err"); rc=$?
	[ $rc -eq 2 ] && [ -z "$out" ] && grep -q "^Usage:" "$T/err" || bad_opt+=" '${c[*]}' (exit $rc)"
done <<<"$(printf '%s\n' $cmds; printf '%s\n' "$subs")"
[ -z "$bad_help" ]
log_test $? "every command and subcommand: --help prints usage, exit 0${bad_help:+; not:$bad_help}"
[ -z "$bad_opt" ]
log_test $? "every command and subcommand: an unknown option exits 2${bad_opt:+; not:$bad_opt}"
out=$("$UMNET" status --no-such-option 2>&1)
[[ $out == "umnet status: unrecognized option '--no-such-option'"* ]]
log_test $? "an unknown option is named, with the command: ${out%%$'\n'*}"

# a failed call always says why: never a bare "umnet: "
out=$( (UMNET_STATE_DIR=/nonexistent/x "$UMNET" status nosuch
	"$UMNET" lab status /nonexistent.lab
	"$UMNET" bpf dump /nonexistent.bpf
	"$UMNET" switch status -s /nonexistent/sw.sock
	"$UMNET" lab convert /nonexistent -o /nonexistent/x.lab
	"$UMNET" hostsetup --remove --journal /nonexistent/j configs/router.profile) 2>&1)
! grep -qE '^umnet: *$|: *$' <<<"$out" && [ "$(grep -c '^umnet: ' <<<"$out")" -ge 6 ]
rc=$?
log_test $rc "failed calls say why, each with 'umnet: MESSAGE'"
[ $rc -eq 0 ] || printf '    %s\n' "${out//$'\n'/$'\n'    }"

out=$("$UMNET" cmdline /nonexistent.profile 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"/nonexistent.profile: No such file or directory"* ]]
log_test $? "missing profile: exit 1 naming the file"

"$UMNET" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; log_test $? "no command: usage, exit 2"
"$UMNET" frobnicate >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; log_test $? "unknown command: exit 2"
"$UMNET" up >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; log_test $? "up without a profile: exit 2"
out=$("$UMNET" help); [[ "$out" == *"exec "*"mconsole "* ]]
log_test $? "help lists the commands"

st=$(mktemp -d /tmp/umnet-test.XXXXXX); TMP_LIST+=("$st")
out=$(UMNET_STATE_DIR=$st "$UMNET" status); [ "$out" = "no nodes" ]
log_test $? "status with no nodes"
out=$(UMNET_STATE_DIR=$st "$UMNET" status --json); [ "$out" = "[]" ]
log_test $? "status --json with no nodes is []"
out=$(UMNET_STATE_DIR=$st "$UMNET" down nosuchnode 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"no node named nosuchnode"* ]]
log_test $? "down of an unknown node: exit 1, says so"
out=$(UMNET_STATE_DIR=$st "$UMNET" exec nosuchnode -- true 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"no node named nosuchnode"* ]]
log_test $? "exec on an unknown node: exit 1, says so"

# not privileged: the message names the capability, nothing is created.
# What uid 65534 runs is copied where it can reach it (the checkout may sit
# in a directory only root can enter, e.g. one from mktemp -d), and it gets
# a state dir of its own: it must fail for the capability, nothing else.
user_dir U "$UMNET" "$UMNET_KERNEL" "$UMNET_ROOTFS" "$TOP/configs/router.profile" ||
	{ echo "cannot copy what uid 65534 runs to a directory it can reach"; exit 1; }
mkdir -m 0700 "$U/state" && chown 65534:65534 "$U/state"
out=$(cd "$U" && setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	env UMNET_STATE_DIR="$U/state" UMNET_KERNEL="$U/linux" \
	UMNET_ROOTFS="$U/rootfs.img" "$U/umnet" up "$U/router.profile" 2>&1); rc=$?
if [ $rc -eq 1 ] && [[ "$out" == *"needs CAP_NET_ADMIN"* ]] && [ ! -e "$U/state/r1" ]; then
	log_test 0 "unprivileged up: names CAP_NET_ADMIN, creates nothing"
else
	log_fail "unprivileged up: names CAP_NET_ADMIN, creates nothing" "exit $rc: $out"
fi

exit $RET
