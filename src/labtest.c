// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's declarative tests ([test] in docs/lab.md): each assertion runs
 * real tools inside a node (ping, a TCP connect from bash, ip route, the
 * user's command) through the node's exec agent and says what it saw.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labrun.h"
#include "labtest.h"

#define CMD_TIMEOUT_MS 20000

static void squash(char *s)
{
	char *p;

	/* one line for the report: newlines become "; " */
	strtrim(s);
	for (p = s; *p; p++)
		if (*p == '\n')
			*p = ';';
}

static int run_once(const struct lab *lab, const struct lab_test *t, char *seen,
		    size_t len)
{
	char addr[64], cmd[OPT_VALUE_MAX + 256], out[4096];
	int status = 0, ret;

	seen[0] = '\0';
	switch (t->kind) {
	case TEST_REACH:
	case TEST_NO_REACH:
		ret = lab_resolve(lab, t->node, t->target, false, addr,
				  sizeof(addr));
		if (ret) {
			snprintf(seen, len, "%s has no address to ping",
				 t->target);
			return 0;
		}
		snprintf(cmd, sizeof(cmd), "ping -c %d -i 0.2 -W 1 %s 2>&1",
			 t->kind == TEST_REACH ? 3 : 2, addr);
		ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status,
				  out, sizeof(out));
		if (ret)
			break;
		{
			char *s = strstr(out, "packets transmitted");
			char line[128];

			squash(out);
			snprintf(line, sizeof(line), "%.120s",
				 out[0] ? out : "no output");
			if (s) {
				while (s > out && s[-1] != '\n')
					s--;
				snprintf(line, sizeof(line), "%.*s",
					 (int)strcspn(s, "\n"), s);
			}
			snprintf(seen, len, "ping %s: %s", addr, line);
		}
		return t->kind == TEST_REACH ? status == 0 : status != 0;
	case TEST_TCP:
		ret = lab_resolve(lab, t->node, t->target, false, addr,
				  sizeof(addr));
		if (ret) {
			snprintf(seen, len, "%s has no address", t->target);
			return 0;
		}
		snprintf(
			cmd, sizeof(cmd),
			"timeout 3 bash -c 'exec 3<>/dev/tcp/%s/%d' 2>/dev/null; "
			"r=$?; if [ $r = 0 ]; then echo connected; "
			"elif [ $r = 124 ]; then echo timed out; "
			"else echo refused; fi",
			addr, t->port);
		ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status,
				  out, sizeof(out));
		if (ret)
			break;
		squash(out);
		snprintf(seen, len, "TCP to %s port %d: %s", addr, t->port,
			 out);
		return !strcmp(out, "connected") == t->want_open;
	case TEST_ROUTE: {
		char via[64] = "", want[80];

		if (t->via[0]) {
			ret = lab_resolve(lab, t->node, t->via, true, via,
					  sizeof(via));
			if (ret) {
				snprintf(
					seen, len,
					"%s shares no link (with an address) with %s",
					t->via, lab->nodes[t->node].name);
				return 0;
			}
			snprintf(want, sizeof(want), "via %s ", via);
		} else {
			snprintf(want, sizeof(want), "dev %s ", t->dev);
		}
		snprintf(cmd, sizeof(cmd), "ip %s route show %s",
			 strchr(t->target, ':') ? "-6" : "-4", t->target);
		ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status,
				  out, sizeof(out));
		if (ret)
			break;
		/* "... via X dev D ...": compare whole words */
		{
			char padded[sizeof(out) + 2];
			bool ok;

			snprintf(padded, sizeof(padded), "%s ", out);
			for (char *p = padded; *p; p++)
				if (*p == '\n' || *p == '\t')
					*p = ' ';
			ok = status == 0 && strstr(padded, want);
			squash(out);
			snprintf(seen, len, "%s", out[0] ? out : "no route");
			return ok;
		}
	}
	case TEST_EXEC: {
		regex_t re;
		bool ok;

		ret = lab_node_sh(lab, t->node, t->cmd, CMD_TIMEOUT_MS, &status,
				  out, sizeof(out));
		if (ret)
			break;
		ok = status == t->exit_code;
		if (ok && t->match[0]) {
			if (regcomp(&re, t->match, REG_EXTENDED | REG_NOSUB)) {
				snprintf(seen, len, "bad regular expression %s",
					 t->match);
				return 0;
			}
			ok = regexec(&re, out, 0, NULL, 0) == 0;
			regfree(&re);
		}
		squash(out);
		snprintf(seen, len, "exit %d, output: %.300s%s", status, out,
			 strlen(out) > 300 ? "..." : "");
		return ok;
	}
	default:
		return -EINVAL;
	}
	snprintf(seen, len, "%s: %s", lab->nodes[t->node].name,
		 ret == -ESRCH	     ? "not running"
		 : ret == -ETIMEDOUT ? "the command did not finish in time"
				     : strerror(-ret));
	return 0;
}

int lab_test_run(const struct lab *lab, int idx, char *seen, size_t len,
		 long long *elapsed_ms)
{
	const struct lab_test *t = &lab->tests[idx];
	long long t0 = now_ms();
	struct err e = { "" };
	int ret;

	if (t->kind == TEST_LINK_DOWN || t->kind == TEST_LINK_UP) {
		ret = lab_link_set(lab, lab_link_find(lab, t->target),
				   t->kind == TEST_LINK_DOWN, &e);
		snprintf(seen, len, "%s", ret ? e.msg : "done");
		*elapsed_ms = now_ms() - t0;
		return ret ? 0 : 1;
	}
	for (;;) {
		ret = run_once(lab, t, seen, len);
		if (ret != 0 || !t->wait_s ||
		    now_ms() - t0 >= (long long)t->wait_s * 1000)
			break;
		usleep(500000);
	}
	*elapsed_ms = now_ms() - t0;
	return ret;
}
