#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A lab in a UMNET_STATE_DIR of its own, as `mktemp -d` makes it (root's,
# mode 0700). Its switch runs jailed as the lab's uid, which must pass
# through that dir to reach its socket dir: umnet says so, naming the dir
# and what to do, before it starts anything; once the dir lets others
# through (0711) the lab comes up and works.
#
#   a ==switch seg== b     10.67.5.1 - 10.67.5.2   (state in $S, not /run/umnet)
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
S=$(mktemp -d) # 0700, root's: the case
TMP_LIST+=("$S")
L=sd$SFX
cat >"$T/sd.lab" <<EOT
$(lab_head "$L" 32M a b)
$(link_eps seg "a 10.67.5.1/24" "b 10.67.5.2/24")
kind = switch
EOT
u() { UMNET_STATE_DIR=$S "$UMNET" "$@"; }
# whatever happens, the lab goes down (lib.sh's cleanup knows /run/umnet only)
trap 'u lab down "$L" >/dev/null 2>&1; cleanup' EXIT

[ "$(stat -c %a "$S")" = 700 ]
log_test $? "mktemp -d gives a 0700 dir"
out=$(UMNET_STATE_DIR=$S timeout 120 "$UMNET" lab up "$T/sd.lab" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ $out == *"cannot reach it: $S is mode 0700; let others through it (chmod o+x $S)"* ]]
log_test $? "lab up in a 0700 state dir: exit 1, names $S and chmod o+x (exit $rc)"
[ $rc -eq 1 ] || printf '    %s\n' "${out//$'\n'/$'\n'    }"
[ ! -e "$S/.labs/$L" ] && ! compgen -G "$S/$L.*" >/dev/null
log_test $? "nothing of the lab is left"
[ "$(stat -c %a "$S")" = 700 ]
log_test $? "umnet leaves the mode of a dir it did not make alone"

chmod 0711 "$S"
out=$(UMNET_STATE_DIR=$S timeout 240 "$UMNET" lab up "$T/sd.lab" 2>&1); rc=$?
log_test $rc "lab up once the dir is 0711$( [ $rc -eq 0 ] || printf '\n%s' "$out")"
busywait 10000 u exec "$L/a" -- ping -c 1 -W 1 10.67.5.2 >/dev/null 2>&1
log_test $? "ping across the switch"
u lab down "$L" >/dev/null 2>&1
log_test $? "lab down"
[ ! -e "$S/.labs/$L" ]
log_test $? "lab down removes its state"
exit $RET
