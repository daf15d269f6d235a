#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The management console on a node with no network at all (no host side,
# no privileges needed for the node itself): sysrq, config, cad (clean
# power-off by the node's init), reboot (the node comes back), halt.
source "$(dirname "$0")/lib.sh"
require_root
require_built

tmpdir T
N=mc$SFX
printf '[appliance]\nname = %s\nmem = 32M\n' "$N" >"$T/m.profile"

check "up a node without interfaces" node_up "$T/m.profile"
out=$("$UMNET" mconsole "$N" help 2>&1)
[[ "$out" == *sysrq* ]] && [[ "$out" == *stack* ]]
log_test $? "mconsole help lists the commands"
out=$("$UMNET" mconsole "$N" config con1 2>&1)
[[ "$out" == pts:/dev/pts/* ]]; log_test $? "mconsole config con1: $out"
out=$("$UMNET" mconsole "$N" proc uptime 2>&1)
[[ "$out" =~ ^[0-9]+\.[0-9]+\ [0-9]+\.[0-9]+$ ]]
log_test $? "mconsole proc uptime: '$out'"
check "mconsole sysrq m (memory report)" "$UMNET" mconsole "$N" sysrq m
busywait 3000 grep -q "Show Memory" "/run/umnet/$N/console.log"
log_test $? "sysrq m shows up on the node's console"
check "mconsole stack 1 (init's stack)" "$UMNET" mconsole "$N" stack 1

# reboot: same UML process, the node boots again and the agent answers
pid=$(node_pid "$N")
boot1=$("$UMNET" exec "$N" -- cat /proc/sys/kernel/random/boot_id)
check "mconsole reboot" "$UMNET" mconsole "$N" reboot
# a new boot_id (the console log has no info-level "Run /sbin/init": loglevel=4)
busywait 10000 sh -c "b=\$('$UMNET' exec $N --timeout 2 -- cat /proc/sys/kernel/random/boot_id 2>/dev/null) && [ -n \"\$b\" ] && [ \"\$b\" != '$boot1' ]"
log_test $? "the node boots a second time"
out=$(busywait 10000 "$UMNET" exec "$N" -- cat /proc/uptime >/dev/null 2>&1 && echo ok)
[ "$out" = ok ]; log_test $? "exec works after the reboot"

# cad: init powers the node off cleanly; the process exits by itself
pid=$(node_pid "$N")
check "mconsole cad" "$UMNET" mconsole "$N" cad
busywait 10000 sh -c "! kill -0 $pid 2>/dev/null"
log_test $? "after cad the node powers off and UML exits"
grep -q "umnet-init: powering off" "/run/umnet/$N/console.log"
log_test $? "init logged its power-off"
check "down after cad" "$UMNET" down "$N"

# halt: immediate stop
check "up again" node_up "$T/m.profile"
pid=$(node_pid "$N")
check "mconsole halt" "$UMNET" mconsole "$N" halt
busywait 5000 sh -c "! kill -0 $pid 2>/dev/null"
log_test $? "after halt UML exits"
out=$("$UMNET" mconsole "$N" version 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"not running"* ]]
log_test $? "mconsole on a halted node says it is not running"
check "down after halt" "$UMNET" down "$N"
check "nothing left" nothing_left "$N"
exit $RET
