# SPDX-License-Identifier: GPL-2.0
# bash completion for umnet(8): commands, options, profile and lab files,
# running nodes, labs, their nodes and links.
#
# Commands and options come from the binary itself (`umnet help`, `umnet
# CMD --help`), running nodes and labs from `umnet status --json` and
# `umnet lab status --json`, so this file does not drift from the CLI.
#
# Completion words are split on purpose (names never hold whitespace):
# shellcheck disable=SC2207,SC2046

# _umnet_run ARGS... : the umnet being completed (also ./build/umnet)
_umnet_run() {
	local bin=${COMP_WORDS[0]}
	bin=${bin/#\~/$HOME}
	"$bin" "$@" 2>/dev/null </dev/null
}

# the commands `umnet help` lists
_umnet_commands() {
	_umnet_run help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }'
}

# _umnet_options WORDS : the options of the usage lines of `umnet WORDS`
_umnet_options() {
	local cmd=$1
	# a usage line of the command, and the lines that continue it
	_umnet_run "${cmd%% *}" --help |
		awk -v w="umnet $cmd " 'index($0, w) { c = 1; print; next }
			c && /^ +\[/ { print; next } { c = 0 }' |
		grep -oE -- '(^|[[ |])--?[a-zA-Z][a-zA-Z-]*' | grep -oE -- '--?[a-zA-Z-]+' |
		sort -u |
		while read -r o; do
			# -dnv is three switches
			if [[ $o =~ ^-[a-zA-Z]{2,}$ ]]; then
				local i
				for ((i = 1; i < ${#o}; i++)); do echo "-${o:i:1}"; done
			else
				echo "$o"
			fi
		done
}

# names of JSON objects' "name" keys, one array level deep: jq if it is
# there, else the first "name" of each line (umnet prints a node per line)
_umnet_nodes() {
	local json
	json=$(_umnet_run status --json) || return
	if command -v jq >/dev/null; then
		jq -r '.[].name' <<<"$json" 2>/dev/null
	else
		sed -n 's/^ *{ *"name": *"\([^"]*\)".*/\1/p' <<<"$json"
	fi
}

_umnet_labs() {
	local json
	json=$(_umnet_run lab status --json) || return
	if command -v jq >/dev/null; then
		jq -r '.[].name' <<<"$json" 2>/dev/null
	else
		# a lab's object is the one with a "file" after its "name"
		grep -oE '\{"name": *"[^"]*", *"file":' <<<"$json" | sed 's/^{"name": *"\([^"]*\)".*/\1/'
	fi
}

# _umnet_lab_part LAB nodes|links
_umnet_lab_part() {
	local json
	json=$(_umnet_run lab status "$1" --json) || return
	if command -v jq >/dev/null; then
		jq -r ".$2[].name" <<<"$json" 2>/dev/null
	elif [ "$2" = links ]; then
		sed 's/.*"links": *\[//' <<<"$json" | grep -oE '\{"name": *"[^"]*"' |
			sed 's/.*"\([^"]*\)"$/\1/'
	else
		sed 's/.*"nodes": *\[//; s/"links": *\[.*//' <<<"$json" |
			grep -oE '\{"name": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' |
			grep -v '^vec[0-9]'
	fi
}

# _umnet_files EXT : files ending in .EXT, and directories to walk into
_umnet_files() {
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -X "!*.$1" -- "$cur") $(compgen -d -- "$cur"))
}

_umnet_words() { # _umnet_words WORD... : complete from these
	local IFS=$'\n'
	COMPREPLY+=($(compgen -W "$*" -- "$cur"))
}

_umnet() {
	local cur prev cmd sub i nargs=0 words=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	if [ "$COMP_CWORD" -eq 1 ]; then
		_umnet_words $(_umnet_commands) help --help --version
		return 0
	fi
	cmd=${COMP_WORDS[1]}
	# the words after the command (and after lab's, switch's or bpf's
	# subcommand) before the cursor, options left out
	for ((i = 2; i < COMP_CWORD; i++)); do
		words+=("${COMP_WORDS[i]}")
	done
	case "$cmd" in
	lab | switch | bpf) sub=${words[0]:-} ;;
	esac

	# after -- (exec): a command inside the node, nothing to offer
	for ((i = 2; i < COMP_CWORD; i++)); do
		[ "${COMP_WORDS[i]}" = -- ] && return 0
	done

	# option arguments
	case "$prev" in
	--timeout | --jobs | -a | -m | -c | --duration | -f) return 0 ;;
	--delay | --jitter | --loss | --rate | --corrupt | --duplicate | --reorder) return 0 ;;
	--name | --l2tp | --l2tp-peer) return 0 ;;
	-o | --junit | --journal | -s | -w | --mirror)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--host)
		# the hosts of the lab file (a lab across hosts)
		[ -f "${words[1]:-}" ] &&
			_umnet_words $(sed -n 's/^\[host \([^]]*\)\].*/\1/p' "${words[1]}")
		return 0
		;;
	--only)
		# the nodes of the lab file, or of the lab that is up
		if [ -f "${words[1]:-}" ]; then
			_umnet_words $(sed -n 's/^\[node \([^]]*\)\].*/\1/p' "${words[1]}")
		else
			_umnet_words $(_umnet_lab_part "${words[1]:-}" nodes)
		fi
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		if [ -n "${sub:-}" ] && [ "$COMP_CWORD" -gt 2 ]; then
			_umnet_words $(_umnet_options "$cmd $sub") --help
		else
			_umnet_words $(_umnet_options "$cmd") --help
		fi
		return 0
	fi

	# positional arguments: count those before the cursor
	for ((i = 2; i < COMP_CWORD; i++)); do
		case "${COMP_WORDS[i]}" in
		--timeout | --jobs | --name | --host | --junit | --journal | -o | -s | -a | -m | \
			-w | -c | -f | --duration | --mirror | --delay | --jitter | --loss | \
			--rate | --corrupt | --duplicate | --reorder | --l2tp | --l2tp-peer) i=$((i + 1)) ;;
		-*) ;;
		*) nargs=$((nargs + 1)) ;;
		esac
	done

	case "$cmd" in
	up | cmdline | hostsetup)
		[ "$nargs" -eq 0 ] && _umnet_files profile
		;;
	down | status)
		_umnet_words $(_umnet_nodes)
		;;
	capture)
		[ "$nargs" -eq 0 ] && _umnet_words $(_umnet_nodes)
		;;
	console | exec | mconsole)
		if [ "$nargs" -eq 0 ]; then
			_umnet_words $(_umnet_nodes)
		elif [ "$cmd" = exec ] && [ "$prev" != -- ]; then
			_umnet_words --
		elif [ "$cmd" = mconsole ] && [ "$nargs" -eq 1 ]; then
			_umnet_words version help halt reboot config remove sysrq cad stop go proc stack
		fi
		;;
	bpf)
		if [ "$nargs" -eq 0 ]; then
			_umnet_words compile dump
		elif [ "$sub" = dump ]; then
			_umnet_files bpf
		fi
		;;
	switch)
		[ "$nargs" -eq 0 ] && _umnet_words status
		;;
	lab)
		if [ "$nargs" -eq 0 ]; then
			_umnet_words $(_umnet_run lab --help | grep -oE 'umnet lab [a-z]+' | awk '{ print $3 }' | sort -u)
			return 0
		fi
		case "$sub" in
		up)
			_umnet_files lab
			;;
		down | status | test | graph | repair)
			_umnet_words $(_umnet_labs)
			[ "$sub" = down ] || [ "$nargs" -gt 1 ] || _umnet_files lab
			;;
		capture)
			case "$nargs" in
			1) _umnet_words $(_umnet_labs) ;;
			2) _umnet_words $(_umnet_lab_part "${words[1]}" links) ;;
			esac
			;;
		convert)
			[ "$nargs" -eq 1 ] && compopt -o dirnames 2>/dev/null &&
				COMPREPLY=($(compgen -d -- "$cur"))
			;;
		restart)
			if [ "$nargs" -eq 1 ]; then
				_umnet_words $(_umnet_labs)
			else
				_umnet_words $(_umnet_lab_part "${words[1]}" nodes)
			fi
			;;
		link)
			case "$nargs" in
			1) _umnet_words down up set reset show ;;
			2) _umnet_words $(_umnet_labs) ;;
			3) _umnet_words $(_umnet_lab_part "${words[2]}" links) ;;
			esac
			;;
		esac
		;;
	esac
	return 0
}
complete -F _umnet umnet
