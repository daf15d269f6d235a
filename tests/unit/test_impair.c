// SPDX-License-Identifier: GPL-2.0
/*
 * The impairment keys of src/impair.c: durations, percentages and rates as
 * lab and profile files write them, their canonical forms, the checks of a
 * combination and the tc commands that install it in a node.
 */
#include <errno.h>

#include "impair.h"
#include "unit.h"

static void dur(const char *s, int want_ret, unsigned int want)
{
	uint32_t v = 0;
	char name[96];
	int ret = parse_duration_us(s, &v);

	snprintf(name, sizeof(name), "parse_duration_us(\"%s\")", s);
	CHECK(name, ret == want_ret && (ret || v == want),
	      "ret %d v %u, want ret %d v %u", ret, v, want_ret, want);
}

static void pct(const char *s, int want_ret, unsigned int want)
{
	uint32_t v = 0;
	char name[96];
	int ret = parse_percent(s, &v);

	snprintf(name, sizeof(name), "parse_percent(\"%s\")", s);
	CHECK(name, ret == want_ret && (ret || v == want),
	      "ret %d v %u, want ret %d v %u", ret, v, want_ret, want);
}

static void rate(const char *s, int want_ret, unsigned long long want)
{
	uint64_t v = 0;
	char name[96];
	int ret = parse_rate(s, &v);

	snprintf(name, sizeof(name), "parse_rate(\"%s\")", s);
	CHECK(name, ret == want_ret && (ret || v == want),
	      "ret %d v %llu, want ret %d v %llu", ret, (unsigned long long)v,
	      want_ret, want);
}

/* set k = v on im, expecting an error that contains want (NULL: none) */
static void set(struct impair *im, const char *k, const char *v,
		const char *want)
{
	char msg[256] = "", name[96];
	int ret = impair_set(im, k, v, msg, sizeof(msg));

	snprintf(name, sizeof(name), "impair_set %s = %s", k, v);
	if (!want)
		CHECK(name, ret == 0, "ret %d: %s", ret, msg);
	else
		CHECK(name, ret == -EINVAL && strstr(msg, want),
		      "ret %d msg \"%s\", want \"%s\"", ret, msg, want);
}

int main(void)
{
	char buf[128], cmds[2][IMPAIR_CMD_MAX];
	struct impair im = { 0 };
	int n;

	dur("20ms", 0, 20000);
	dur("1.5ms", 0, 1500);
	dur("500us", 0, 500);
	dur("1s", 0, 1000000);
	dur("0ms", 0, 0);
	dur("60s", 0, 60000000);
	dur("61s", -ERANGE, 0);
	dur("20", -EINVAL, 0);
	dur("20 ms", -EINVAL, 0);
	dur("ms", -EINVAL, 0);
	dur("1.5us", -EINVAL, 0);
	dur("1.ms", -EINVAL, 0);
	dur("-1ms", -EINVAL, 0);
	dur("20ns", -EINVAL, 0);
	dur("99999999999999999999ms", -ERANGE, 0);

	pct("1%", 0, 1000);
	pct("0.5", 0, 500);
	pct("0.5%", 0, 500);
	pct("100%", 0, 100000);
	pct("0.001", 0, 1);
	pct("0.0001", -EINVAL, 0);
	pct("100.5", -ERANGE, 0);
	pct("1%%", -EINVAL, 0);
	pct("%", -EINVAL, 0);
	pct("", -EINVAL, 0);

	rate("10mbit", 0, 10000000);
	rate("500kbit", 0, 500000);
	rate("1gbit", 0, 1000000000);
	rate("1.5mbit", 0, 1500000);
	rate("64000bit", 0, 64000);
	rate("10Mbit", 0, 10000000);
	rate("999bit", -ERANGE, 0);
	rate("101gbit", -ERANGE, 0);
	rate("10mb", -EINVAL, 0);
	rate("10", -EINVAL, 0);
	rate("10mbps", -EINVAL, 0);

	fmt_duration(25000, buf, sizeof(buf));
	CHECK_STR("fmt_duration 25000us", buf, "25ms");
	fmt_duration(1500, buf, sizeof(buf));
	CHECK_STR("fmt_duration 1500us", buf, "1500us");
	fmt_percent(500, buf, sizeof(buf));
	CHECK_STR("fmt_percent 0.5%", buf, "0.5%");
	fmt_percent(20000, buf, sizeof(buf));
	CHECK_STR("fmt_percent 20%", buf, "20%");
	fmt_percent(1050, buf, sizeof(buf));
	CHECK_STR("fmt_percent 1.05%", buf, "1.05%");
	fmt_rate(20000000, buf, sizeof(buf));
	CHECK_STR("fmt_rate 20mbit", buf, "20mbit");
	fmt_rate(1500000, buf, sizeof(buf));
	CHECK_STR("fmt_rate 1500kbit", buf, "1500kbit");

	set(&im, "delay", "20", "needs a number and a unit");
	set(&im, "delay", "20", "e.g. 20ms");
	set(&im, "loss", "x", "not a percentage");
	set(&im, "rate", "10mb", "not a rate");
	set(&im, "rate", "1bit", "out of range");
	set(&im, "speed", "1", "no impairment key");
	CHECK_INT("failed sets change nothing", im.set, 0);

	set(&im, "jitter", "5ms", NULL);
	CHECK("jitter alone is refused",
	      impair_check(&im, buf, sizeof(buf)) == -EINVAL &&
		      strstr(buf, "jitter needs a delay"),
	      "%s", buf);
	set(&im, "delay", "25ms", NULL);
	set(&im, "loss", "0.5", NULL);
	set(&im, "rate", "20mbit", NULL);
	CHECK_INT("delay + jitter is fine", impair_check(&im, buf, sizeof(buf)),
		  0);
	impair_summary(&im, buf, sizeof(buf));
	CHECK_STR("impair_summary", buf,
		  "delay 25ms jitter 5ms loss 0.5% rate 20mbit");
	n = impair_tc(&im, "vec1", cmds);
	CHECK_INT("netem and rate: two commands", n, 2);
	CHECK_STR(
		"netem command", cmds[0],
		"tc qdisc add dev vec1 root handle 1: netem delay 25000us 5000us loss 0.5%");
	CHECK_STR(
		"tbf under netem", cmds[1],
		"tc qdisc add dev vec1 parent 1:1 handle 10: tbf rate 20000000bit burst 25000 latency 50ms");

	memset(&im, 0, sizeof(im));
	set(&im, "rate", "500kbit", NULL);
	n = impair_tc(&im, "vec0", cmds);
	CHECK("rate alone: a root tbf with a burst of at least 4096",
	      n == 1 &&
		      !strcmp(cmds[0],
			      "tc qdisc add dev vec0 root handle 1: tbf rate 500000bit burst 4096 latency 50ms"),
	      "n %d: %s", n, cmds[0]);
	memset(&im, 0, sizeof(im));
	set(&im, "reorder", "25%", NULL);
	CHECK("reorder without delay is refused",
	      impair_check(&im, buf, sizeof(buf)) == -EINVAL, "%s", buf);
	memset(&im, 0, sizeof(im));
	CHECK_INT("nothing set: no command", impair_tc(&im, "vec0", cmds), 0);
	impair_summary(&im, buf, sizeof(buf));
	CHECK_STR("nothing set: empty summary", buf, "");

	UNIT_DONE();
}
