#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The man pages umnet(8), umnet-profile(5), umnet-lab(5): made from
# docs/umnet.md, docs/profile.md and docs/lab.md by scripts/md2man.awk (as
# make does), they render with groff's and man's warnings on and no
# warning, have their sections, and umnet(8) documents every command and
# option the binary's help shows. md2man refuses what it cannot convert.
source "$(dirname "$0")/lib.sh"
require_command groff
require_command man
[ -x "$UMNET" ] || { echo "$UMNET missing: run make"; exit 1; }

tmpdir T
md2man() { awk -v version=test -v date=2026-01-01 -f "$TOP/scripts/md2man.awk" "$@"; }

# page SOURCE PAGE SECTION-OR-TEXT... : converts, renders, has the sections
page() {
	local src=$1 pg=$2 out warn s missing=
	shift 2
	if ! md2man "$TOP/docs/$src" >"$T/$pg" 2>"$T/err"; then
		log_fail "$pg: made from docs/$src" "$(cat "$T/err")"
		return
	fi
	log_test 0 "$pg: made from docs/$src"
	warn=$(groff -ww -man -Tutf8 "$T/$pg" 2>&1 >/dev/null)
	[ -z "$warn" ] && log_test 0 "$pg: groff -ww renders it without a warning" ||
		log_fail "$pg: groff -ww renders it without a warning" "$warn"
	warn=$(MANWIDTH=80 man --warnings -l "$T/$pg" 2>&1 >/dev/null)
	[ -z "$warn" ] && log_test 0 "$pg: man --warnings -l renders it without a warning" ||
		log_fail "$pg: man --warnings -l renders it without a warning" "$warn"
	out=$(MANWIDTH=80 man -l "$T/$pg" 2>/dev/null)
	for s in NAME DESCRIPTION "SEE ALSO" "$@"; do
		grep -q "^$s\$\|^   $s\$" <<<"$out" || missing+=" '$s'"
	done
	[ -z "$missing" ] && log_test 0 "$pg: has its sections" ||
		log_fail "$pg: has its sections" "missing:$missing"
}

page umnet.md umnet.8 SYNOPSIS COMMANDS "EXIT STATUS" ENVIRONMENT FILES up lab
page profile.md umnet-profile.5 "\[appliance\]" "\[interface vecN\]" "\[firewall\]" EXAMPLE
page lab.md umnet-lab.5 "\[lab\]" "\[node NAME\]" "\[link NAME\]" "\[test\]" COMMANDS

# the NAME line is what whatis/apropos and lintian read
grep -qx 'umnet\\-profile \\- the umnet appliance profile format' "$T/umnet-profile.5"
log_test $? "umnet-profile.5: a NAME line 'umnet\\-profile \\- ...'"

# umnet(8) against the binary: a section per command, every option
cmds=$("$UMNET" help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }')
missing=
for c in $cmds; do
	grep -qx "### $c" "$TOP/docs/umnet.md" || missing+=" $c"
done
[ -n "$cmds" ] && [ -z "$missing" ]
log_test $? "docs/umnet.md has a section for every command of 'umnet help'${missing:+, not:$missing}"
missing=
for c in $cmds; do
	for o in $("$UMNET" "$c" --help 2>&1 | grep -oE -- '(^|[[ |])--?[a-zA-Z][a-zA-Z0-9-]*' |
		grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u); do
		# the section of that command documents the option
		sed -n "/^### $c\$/,/^##/p" "$TOP/docs/umnet.md" | grep -q -- "$o\\b" ||
			missing+=" $c:$o"
	done
done
[ -z "$missing" ]
log_test $? "docs/umnet.md documents every option of 'umnet CMD --help'${missing:+, not:$missing}"

# what md2man cannot convert is an error, never a silently broken page
printf '<!-- man: x(5): x -->\n# x\n\n```\nopen\n' >"$T/open.md"
check_fail "md2man: an unclosed code block is an error" md2man "$T/open.md"
printf '# x\n\ntext\n' >"$T/noname.md"
check_fail "md2man: a page without its <!-- man: --> line is an error" md2man "$T/noname.md"
printf '<!-- man: x(5): x -->\n# x\n\ncaf\303\251\n' >"$T/utf.md"
out=$(md2man "$T/utf.md" 2>&1 >/dev/null); rc=$?
[ $rc -ne 0 ] && [[ $out == *"utf.md:4: a character md2man cannot map"* ]]
log_test $? "md2man: an unmapped character is an error naming file:line"
exit $RET
