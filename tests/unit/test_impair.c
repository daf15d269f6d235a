// SPDX-License-Identifier: GPL-2.0
/*
 * The impairment keys of src/impair.c: durations, percentages and rates as
 * lab and profile files write them, their canonical forms, the checks of a
 * combination and the tc commands that install it in a node.
 */
#include <errno.h>

#include "impair.h"
#include "unit.h"

/* a number as an impairment key reads it: ret, and the value when 0 */
struct num_case {
	const char *s;
	int ret;
	unsigned long long v;
};

static const struct num_case durations[] = {
	{ "20ms", 0, 20000 },
	{ "1.5ms", 0, 1500 },
	{ "500us", 0, 500 },
	{ "1s", 0, 1000000 },
	{ "0ms", 0, 0 },
	{ "60s", 0, 60000000 },
	{ "61s", -ERANGE, 0 },
	{ "20", -EINVAL, 0 },
	{ "20 ms", -EINVAL, 0 },
	{ "ms", -EINVAL, 0 },
	{ "1.5us", -EINVAL, 0 },
	{ "1.ms", -EINVAL, 0 },
	{ "-1ms", -EINVAL, 0 },
	{ "20ns", -EINVAL, 0 },
	{ "99999999999999999999ms", -ERANGE, 0 },
};

static const struct num_case percents[] = {
	{ "1%", 0, 1000 },	 { "0.5", 0, 500 },
	{ "0.5%", 0, 500 },	 { "100%", 0, 100000 },
	{ "0.001", 0, 1 },	 { "0.0001", -EINVAL, 0 },
	{ "100.5", -ERANGE, 0 }, { "1%%", -EINVAL, 0 },
	{ "%", -EINVAL, 0 },	 { "", -EINVAL, 0 },
};

static const struct num_case rates[] = {
	{ "10mbit", 0, 10000000 },  { "500kbit", 0, 500000 },
	{ "1gbit", 0, 1000000000 }, { "1.5mbit", 0, 1500000 },
	{ "64000bit", 0, 64000 },   { "10Mbit", 0, 10000000 },
	{ "999bit", -ERANGE, 0 },   { "101gbit", -ERANGE, 0 },
	{ "10mb", -EINVAL, 0 },	    { "10", -EINVAL, 0 },
	{ "10mbps", -EINVAL, 0 },
};

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

static void check_num(const char *fn, const struct num_case *c, int ret,
		      unsigned long long v)
{
	char name[96];

	snprintf(name, sizeof(name), "%s(\"%s\")", fn, c->s);
	CHECK(name, ret == c->ret && (ret || v == c->v),
	      "ret %d v %llu, want ret %d v %llu", ret, v, c->ret, c->v);
}

static void test_numbers(void)
{
	size_t i;

	for (i = 0; i < NCASES(durations); i++) {
		uint32_t v = 0;
		int ret = parse_duration_us(durations[i].s, &v);

		check_num("parse_duration_us", &durations[i], ret, v);
	}
	for (i = 0; i < NCASES(percents); i++) {
		uint32_t v = 0;
		int ret = parse_percent(percents[i].s, &v);

		check_num("parse_percent", &percents[i], ret, v);
	}
	for (i = 0; i < NCASES(rates); i++) {
		uint64_t v = 0;
		int ret = parse_rate(rates[i].s, &v);

		check_num("parse_rate", &rates[i], ret, v);
	}
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

/* the canonical forms: what the fmt_* functions write back */
static void test_formats(void)
{
	static const struct {
		char kind; /* d: fmt_duration, p: fmt_percent, r: fmt_rate */
		unsigned long long v;
		const char *name, *want;
	} cases[] = {
		{ 'd', 25000, "fmt_duration 25000us", "25ms" },
		{ 'd', 1500, "fmt_duration 1500us", "1500us" },
		{ 'p', 500, "fmt_percent 0.5%", "0.5%" },
		{ 'p', 20000, "fmt_percent 20%", "20%" },
		{ 'p', 1050, "fmt_percent 1.05%", "1.05%" },
		{ 'r', 20000000, "fmt_rate 20mbit", "20mbit" },
		{ 'r', 1500000, "fmt_rate 1500kbit", "1500kbit" },
	};
	char buf[128];
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		if (cases[i].kind == 'd')
			fmt_duration(cases[i].v, buf, sizeof(buf));
		else if (cases[i].kind == 'p')
			fmt_percent(cases[i].v, buf, sizeof(buf));
		else
			fmt_rate(cases[i].v, buf, sizeof(buf));
		CHECK_STR(cases[i].name, buf, cases[i].want);
	}
}

int main(void)
{
	char buf[128], cmds[2][IMPAIR_CMD_MAX];
	struct impair im = { 0 };
	int n;

	test_numbers();
	test_formats();

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
