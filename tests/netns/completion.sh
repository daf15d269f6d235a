#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bash completion (dist/umnet.bash), called as bash calls it: COMP_WORDS and
# COMP_CWORD set, _umnet run, COMPREPLY checked. No node runs: the umnet it
# completes for is a stub that answers `status --json` and `lab status
# --json` with fixed state and hands everything else (help, --help) to the
# real binary, so commands and options come from the real CLI.
#
#   stub umnet: nodes r1, lab1.a, lab1.b; lab lab1 (nodes a b, links ab up)
source "$(dirname "$0")/lib.sh"
[ -x "$UMNET" ] || { echo "$UMNET missing: run make"; exit 1; }

tmpdir T
cat >"$T/umnet" <<EOF
#!/usr/bin/env bash
case "\$*" in
"status --json")
	printf '[\n  {"name": "r1", "state": "running", "interfaces": [{"name": "vec0"}]},\n'
	printf '  {"name": "lab1.a", "state": "running", "interfaces": []},\n'
	printf '  {"name": "lab1.b", "state": "running", "interfaces": []}\n]\n' ;;
"lab status --json")
	echo '[{"name":"lab1","file":"/x/lab1.lab","up":true,"nodes":[{"name":"a","interfaces":[]},{"name":"b"}],"links":[{"name":"ab","kind":"wire"},{"name":"up","kind":"netns"}],"processes":[]}]' ;;
"lab status lab1 --json")
	echo '{"name":"lab1","file":"/x/lab1.lab","up":true,"nodes":[{"name":"a","interfaces":[{"vec":0,"link":"ab"}]},{"name":"b"}],"links":[{"name":"ab","kind":"wire"},{"name":"up","kind":"netns"}],"processes":[]}' ;;
*) exec "$UMNET" "\$@" ;;
esac
EOF
chmod +x "$T/umnet"
mkdir "$T/d"
touch "$T/d/r1.profile" "$T/d/fw.profile" "$T/d/notes.txt" "$T/d/two.lab"
printf '[lab]\n[node x1]\n[node x2]\n[link l]\n' >"$T/d/two.lab"

# shellcheck source=../../dist/umnet.bash
source "$TOP/dist/umnet.bash"

# comp WORDS... : the sorted completions of the last word (may be "")
comp() {
	COMP_WORDS=("$T/umnet" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_umnet
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect "what" "WANT" WORDS... : completions are exactly WANT
expect() {
	local what=$1 want=$2 got
	shift 2
	got=$(comp "$@")
	if [ "$got" = "$want" ]; then
		log_test 0 "completion$PASS: $what"
	else
		log_fail "completion$PASS: $what" "umnet $* <TAB>: got '$got', want '$want'"
	fi
}

# has "what" WORD WORDS... : WORD is among the completions
has() {
	local what=$1 w=$2 got
	shift 2
	got=" $(comp "$@") "
	if [[ $got == *" $w "* ]]; then
		log_test 0 "completion$PASS: $what"
	else
		log_fail "completion$PASS: $what" "umnet $* <TAB>: got '$got', want '$w' among them"
	fi
}

# twice: with jq, and with a PATH without it (the sed fallbacks)
run_all() {
	local cmds got ok c
	cmds=$("$UMNET" help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }' | sort | tr '\n' ' ')
	[ -n "$cmds" ]
	log_test $? "umnet help lists commands to complete$PASS"
	got=" $(comp "") "
	ok=0
	for c in $cmds; do [[ $got == *" $c "* ]] || ok=1; done
	[ $ok -eq 0 ]
	log_test $? "completion$PASS: every command of 'umnet help'"
	expect "commands by prefix" "lab" la
	expect "up: profile files and directories" "$T/d/fw.profile $T/d/r1.profile" up "$T/d/"
	has "up: its options" --timeout up --
	has "up: --name" --name up --
	has "down: running nodes" lab1.a down ""
	expect "status: running nodes by prefix" "lab1.a lab1.b" status la
	expect "exec: nodes, then --" "--" exec r1 ""
	expect "after exec --: nothing" "" exec r1 -- ip ""
	has "mconsole: its commands" sysrq mconsole r1 ""
	expect "lab: subcommands by prefix" "restart" lab res
	expect "lab up: lab files" "$T/d/two.lab" lab up "$T/d/"
	has "lab up: --jobs" --jobs lab up "$T/d/two.lab" --
	has "lab up: --host, from the usage's second line" --host lab up "$T/d/two.lab" --
	expect "lab up --only: nodes of the file" "x1 x2" lab up "$T/d/two.lab" --only ""
	expect "lab down: labs that are up" "lab1" lab down ""
	expect "lab restart LAB: its nodes" "a b" lab restart lab1 ""
	expect "lab link: down, reset, set, show, up" "down reset set show up" lab link ""
	expect "lab link down LAB: its links" "ab up" lab link down lab1 ""
	expect "lab link set LAB: its links" "ab up" lab link set lab1 ""
	has "lab link set: --delay" --delay lab link set lab1 ab --
	expect "lab link set --delay D: then its links" "ab up" lab link set lab1 --delay 20ms ""
	has "lab link show: --json" --json lab link show lab1 --
	has "a lab subcommand: --help" --help lab status --
	has "lab repair: labs that are up" lab1 lab repair ""
	expect "lab capture LAB: its links" "ab up" lab capture lab1 ""
	expect "capture: running nodes by prefix" "lab1.a lab1.b" capture la
	expect "capture -w FILE: files" "$T/d/notes.txt" capture r1 vec0 -w "$T/d/no"
	has "switch: -s" -s switch -
	has "switch status" status switch ""
	expect "bpf: compile, dump" "compile dump" bpf ""
}
PASS=""
run_all
mkdir "$T/bin"
for t in env bash awk grep sed sort tr cat; do ln -s "$(command -v "$t")" "$T/bin/$t"; done
PASS=" (no jq)"
PATH=$T/bin run_all
exit $RET
