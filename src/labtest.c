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

#include "labimpair.h"
#include "labrun.h"
#include "lab_priv.h"
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

#define LOSS_PINGS 200

/* the ICMP echo requests node has received (Icmp InEchos) */
static int echos(const struct lab *lab, int node, unsigned long long *n)
{
	char out[128];
	int status = 0, ret;

	ret = lab_node_sh(
		lab, node,
		"awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == \"InEchos\") c = i; h = 1 } else print $c }' /proc/net/snmp",
		CMD_TIMEOUT_MS, &status, out, sizeof(out));
	if (ret || status || sscanf(out, "%llu", n) != 1)
		return -EIO;
	return 0;
}

static bool compare(char cmp, double seen, double limit)
{
	return cmp == '<' ? seen < limit : seen > limit;
}

/*
 * rtt, loss, throughput: measure from t->node to t->target and compare.
 * Returns 1/0 like run_once, -errno (ret) when the node could not run it.
 */
static int measure(const struct lab *lab, const struct lab_test *t,
		   const char *addr, char *seen, size_t len, int *err)
{
	char cmd[512], out[4096], lim[32], *p;
	int status = 0, ret, port, target = lab_node_find(lab, t->target);
	unsigned long long before = 0, after = 0;
	double v, mult;

	*err = 0;
	if (t->kind == TEST_RTT || t->kind == TEST_LOSS) {
		bool rtt = t->kind == TEST_RTT;

		if (!rtt && target >= 0 && echos(lab, target, &before))
			target = -1;
		snprintf(cmd, sizeof(cmd), "ping -q -c %d -i %s -W 2 %s 2>&1",
			 rtt ? 10 : LOSS_PINGS, rtt ? "0.2" : "0.05", addr);
		ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status,
				  out, sizeof(out));
		if (ret)
			return *err = ret, 0;
		if (rtt) {
			fmt_duration(t->limit, lim, sizeof(lim));
			p = strstr(out, "min/avg/max");
			p = p ? strstr(p, "= ") : NULL;
			if (!p || sscanf(p + 2, "%*f/%lf", &v) != 1) {
				squash(out);
				snprintf(seen, len, "ping %s: no reply: %.200s",
					 addr, out);
				return 0;
			}
			snprintf(seen, len,
				 "ping %s: average rtt %.3f ms (%c %s)", addr,
				 v, t->cmp, lim);
			return compare(t->cmp, v * 1000, t->limit);
		}
		fmt_percent(t->limit, lim, sizeof(lim));
		p = strstr(out, "% packet loss");
		if (!p) {
			squash(out);
			snprintf(seen, len, "ping %s: %.200s", addr, out);
			return 0;
		}
		while (p > out &&
		       (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
			p--;
		v = strtod(p, NULL);
		if (target >= 0 && echos(lab, target, &after) == 0 &&
		    after >= before) {
			/* one way: the requests that reached the target */
			v = after - before >= LOSS_PINGS
				    ? 0
				    : 100.0 * (LOSS_PINGS - (after - before)) /
					      LOSS_PINGS;
			snprintf(
				seen, len,
				"%g%% of %d pings to %s lost on the way (%c %s)",
				v, LOSS_PINGS, addr, t->cmp, lim);
		} else {
			snprintf(seen, len,
				 "ping %s: %g%% of %d lost, round trip (%c %s)",
				 addr, v, LOSS_PINGS, t->cmp, lim);
		}
		return compare(t->cmp, v * IMPAIR_PCT_ONE, t->limit);
	}
	/* throughput: a one-off iperf3 server in the target node (in pods:
	 * lab test --engine started it in the target's, on lab_test_port) */
	port = lab->pod_steps ? lab_test_port(lab, t)
			      : 5201 + (int)(now_ms() % 1000);
	snprintf(cmd, sizeof(cmd), "iperf3 -s -1 -D -p %d 2>&1", port);
	ret = lab_node_sh(lab, lab_node_find(lab, t->target), cmd,
			  CMD_TIMEOUT_MS, &status, out, sizeof(out));
	if (ret == -ESRCH && lab->pod_steps)
		ret = 0;
	else if (!ret && status) {
		squash(out);
		snprintf(seen, len, "iperf3 -s in %s: %.200s", t->target, out);
		return 0;
	}
	if (ret)
		return *err = ret, 0;
	snprintf(cmd, sizeof(cmd),
		 "for i in 1 2 3 4 5 6 7 8 9 10; do "
		 "iperf3 -c %s -p %d -t 3 -f k 2>&1 && exit 0; sleep 0.2; "
		 "done; exit 1",
		 addr, port);
	ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status, out,
			  sizeof(out));
	if (ret)
		return *err = ret, 0;
	fmt_rate(t->limit, lim, sizeof(lim));
	p = strstr(out, "receiver");
	while (p && p > out && p[-1] != '\n')
		p--;
	p = p ? strstr(p, "Bytes") : NULL;
	if (!p || sscanf(p + 5, "%lf", &v) != 1) {
		squash(out);
		snprintf(seen, len, "iperf3 to %s: %.200s", addr, out);
		return 0;
	}
	p += 5 + strspn(p + 5, " \t0123456789.");
	mult = !strncmp(p, "Gbits", 5)	 ? 1e9
	       : !strncmp(p, "Mbits", 5) ? 1e6
	       : !strncmp(p, "Kbits", 5) ? 1e3
					 : 1;
	v *= mult;
	snprintf(seen, len, "iperf3 to %s: %.2f Mbit/s received (%c %s)", addr,
		 v / 1e6, t->cmp, lim);
	return compare(t->cmp, v, (double)t->limit);
}

int lab_test_port(const struct lab *lab, const struct lab_test *t)
{
	return 5201 + (int)(t - lab->tests) % 1000;
}

/* lab_node_sh() could not run the command: why, for the report */
static int sh_failed(const struct lab *lab, const struct lab_test *t, int ret,
		     char *seen, size_t len)
{
	snprintf(seen, len, "%s: %s", lab->nodes[t->node].name,
		 ret == -ESRCH	     ? "not running"
		 : ret == -ETIMEDOUT ? "the command did not finish in time"
				     : strerror(-ret));
	return 0;
}

/* reach, no-reach: ping */
static int run_reach(const struct lab *lab, const struct lab_test *t,
		     char *seen, size_t len)
{
	char addr[64], cmd[OPT_VALUE_MAX + 256], out[4096], line[128], *s;
	int status = 0, ret;

	ret = lab_resolve(lab, t->node, t->target, false, addr, sizeof(addr));
	if (ret) {
		snprintf(seen, len, "%s has no address to ping", t->target);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "ping -c %d -i 0.2 -W 1 %s 2>&1",
		 t->kind == TEST_REACH ? 3 : 2, addr);
	ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status, out,
			  sizeof(out));
	if (ret)
		return sh_failed(lab, t, ret, seen, len);
	s = strstr(out, "packets transmitted");
	squash(out);
	snprintf(line, sizeof(line), "%.120s", out[0] ? out : "no output");
	if (s) {
		while (s > out && s[-1] != '\n')
			s--;
		snprintf(line, sizeof(line), "%.*s", (int)strcspn(s, "\n"), s);
	}
	snprintf(seen, len, "ping %s: %s", addr, line);
	return t->kind == TEST_REACH ? status == 0 : status != 0;
}

/* tcp: a connect from bash */
static int run_tcp(const struct lab *lab, const struct lab_test *t, char *seen,
		   size_t len)
{
	char addr[64], cmd[OPT_VALUE_MAX + 256], out[4096];
	int status = 0, ret;

	ret = lab_resolve(lab, t->node, t->target, false, addr, sizeof(addr));
	if (ret) {
		snprintf(seen, len, "%s has no address", t->target);
		return 0;
	}
	snprintf(cmd, sizeof(cmd),
		 "timeout 3 bash -c 'exec 3<>/dev/tcp/%s/%d' 2>/dev/null; "
		 "r=$?; if [ $r = 0 ]; then echo connected; "
		 "elif [ $r = 124 ]; then echo timed out; "
		 "else echo refused; fi",
		 addr, t->port);
	ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status, out,
			  sizeof(out));
	if (ret)
		return sh_failed(lab, t, ret, seen, len);
	squash(out);
	snprintf(seen, len, "TCP to %s port %d: %s", addr, t->port, out);
	return !strcmp(out, "connected") == t->want_open;
}

/* route: ip route show PREFIX has "via X " or "dev D " */
static int run_route(const struct lab *lab, const struct lab_test *t,
		     char *seen, size_t len)
{
	char via[64] = "", want[80], cmd[OPT_VALUE_MAX + 256], out[4096];
	char padded[sizeof(out) + 2];
	int status = 0, ret;
	bool ok;

	if (t->via[0]) {
		ret = lab_resolve(lab, t->node, t->via, true, via, sizeof(via));
		if (ret) {
			snprintf(seen, len,
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
	ret = lab_node_sh(lab, t->node, cmd, CMD_TIMEOUT_MS, &status, out,
			  sizeof(out));
	if (ret)
		return sh_failed(lab, t, ret, seen, len);
	/* "... via X dev D ...": compare whole words */
	snprintf(padded, sizeof(padded), "%s ", out);
	for (char *p = padded; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	ok = status == 0 && strstr(padded, want);
	squash(out);
	snprintf(seen, len, "%s", out[0] ? out : "no route");
	return ok;
}

/* rtt, loss, throughput */
static int run_measure(const struct lab *lab, const struct lab_test *t,
		       char *seen, size_t len)
{
	char addr[64];
	int ret, passed;

	ret = lab_resolve(lab, t->node, t->target, false, addr, sizeof(addr));
	if (ret) {
		snprintf(seen, len, "%s has no address", t->target);
		return 0;
	}
	passed = measure(lab, t, addr, seen, len, &ret);
	if (ret)
		return sh_failed(lab, t, ret, seen, len);
	return passed;
}

/* exec: the exit code, and the output against match= */
static int run_exec(const struct lab *lab, const struct lab_test *t, char *seen,
		    size_t len)
{
	char out[4096];
	int status = 0, ret;
	regex_t re;
	bool ok;

	ret = lab_node_sh(lab, t->node, t->cmd, CMD_TIMEOUT_MS, &status, out,
			  sizeof(out));
	if (ret)
		return sh_failed(lab, t, ret, seen, len);
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

/* steps: link-set, link-reset */
static int run_link_impair(const struct lab *lab, const struct lab_test *t,
			   char *seen, size_t len)
{
	struct err e = { "" };
	int ret = lab_link_impair(lab, lab_link_find(lab, t->target),
				  &t->impair, &e);

	snprintf(seen, len, "%s", ret ? e.msg : "done");
	return ret ? 0 : 1;
}

/* steps: link-down, link-up */
static int run_link(const struct lab *lab, const struct lab_test *t, char *seen,
		    size_t len)
{
	struct err e = { "" };
	int ret = lab_link_set(lab, lab_link_find(lab, t->target),
			       t->kind == TEST_LINK_DOWN, &e);

	snprintf(seen, len, "%s", ret ? e.msg : "done");
	return ret ? 0 : 1;
}

/* every [test] kind, in the order docs/lab.md and the hint list them */
const struct lab_test_type lab_test_types[] = {
	{ "reach", TEST_REACH, labtest_parse_reach, run_reach },
	{ "no-reach", TEST_NO_REACH, labtest_parse_reach, run_reach },
	{ "tcp", TEST_TCP, labtest_parse_tcp, run_tcp },
	{ "route", TEST_ROUTE, labtest_parse_route, run_route },
	{ "exec", TEST_EXEC, labtest_parse_exec, run_exec },
	{ "rtt", TEST_RTT, labtest_parse_measure, run_measure },
	{ "loss", TEST_LOSS, labtest_parse_measure, run_measure },
	{ "throughput", TEST_THROUGHPUT, labtest_parse_measure, run_measure },
	/* runs the test it wraps, retried (lab_test_run) */
	{ "wait-for", -1, labtest_parse_wait_for, NULL },
	{ "link-down", TEST_LINK_DOWN, labtest_parse_link, run_link },
	{ "link-up", TEST_LINK_UP, labtest_parse_link, run_link },
	{ "link-set", TEST_LINK_SET, labtest_parse_link_impair,
	  run_link_impair },
	{ "link-reset", TEST_LINK_RESET, labtest_parse_link_impair,
	  run_link_impair },
};
const int lab_ntest_types = ARRAY_SIZE(lab_test_types);

int lab_test_run(const struct lab *lab, int idx, char *seen, size_t len,
		 long long *elapsed_ms)
{
	const struct lab_test *t = &lab->tests[idx];
	const struct lab_test_type *ty = NULL;
	long long t0 = now_ms();
	int i, ret;

	for (i = 0; i < lab_ntest_types; i++)
		if (lab_test_types[i].kind == (int)t->kind)
			ty = &lab_test_types[i];
	if (!ty || !ty->run)
		return -EINVAL;
	for (;;) {
		seen[0] = '\0';
		ret = ty->run(lab, t, seen, len);
		if (ret != 0 || !t->wait_s ||
		    now_ms() - t0 >= (long long)t->wait_s * 1000)
			break;
		usleep(500000);
	}
	*elapsed_ms = now_ms() - t0;
	return ret;
}
