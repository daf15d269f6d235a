// SPDX-License-Identifier: GPL-2.0
/*
 * src/kathara_dep.c: lab.dep into a boot order. A long chain is ordered
 * whole and fast (a topological sort in O(n + e), not the n^3 it was); a
 * loop is named as it goes round, and only the loop; the devices that
 * need nothing keep lab.conf order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kathara_priv.h"
#include "unit.h"

#define CHAIN 3000

static struct k_lab k;

/* n devices d0 .. d(n-1), in lab.conf order */
static int devs(int n)
{
	int i;

	free(k.devs);
	memset(&k, 0, sizeof(k));
	k.devs = calloc(n, sizeof(*k.devs));
	if (!k.devs)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(k.devs[i].name, sizeof(k.devs[i].name), "d%d", i);
		k.devs[i].order = i;
	}
	k.ndevs = k.devs_cap = n;
	k.dep = "lab.dep";
	return 0;
}

static void chain(void)
{
	struct strbuf sb = { 0 };
	struct err e = { "" };
	long long t0, ms;
	int i, ret, bad = 0;

	if (devs(CHAIN)) {
		CHECK("chain: memory", 0, "%s", "calloc");
		return;
	}
	/* d0: d1, d1: d2, ...: d(n-1) boots first, d0 last */
	for (i = 0; i + 1 < CHAIN; i++)
		sb_printf(&sb, "d%d: d%d\n", i, i + 1);
	t0 = now_ms();
	ret = k_read_dep(&k, sb_str(&sb), &e);
	ms = now_ms() - t0;
	for (i = 0; i < CHAIN; i++)
		bad += k.devs[i].order != CHAIN - 1 - i;
	CHECK("a chain of 3000: each after its dependency", !ret && !bad,
	      "%d %s; %d misplaced", ret, e.msg, bad);
	/* n^3 / 6 steps took seconds here; linear takes milliseconds */
	CHECK("a chain of 3000: ordered in under 2 s", ms < 2000, "%lld ms",
	      ms);
	sb_free(&sb);
}

static void loops(void)
{
	struct strbuf sb = { 0 };
	struct err e = { "" };
	int i, ret;

	/* a chain d0 -> ... -> d9 and d6: d2 besides: d2 .. d6 go round */
	if (devs(10))
		return;
	for (i = 0; i + 1 < 10; i++)
		sb_printf(&sb, "d%d: d%d%s\n", i, i + 1, i == 6 ? " d2" : "");
	ret = k_read_dep(&k, sb_str(&sb), &e);
	CHECK("a loop is named, and only the loop",
	      ret == -ELOOP &&
		      !strcmp(e.msg,
			      "lab.dep: a dependency loop among: d2 d3 d4 d5 d6 (d2 needs d3, d3 needs d4, d4 needs d5, d5 needs d6, d6 needs d2): remove one of them"),
	      "%d %s", ret, e.msg);
	sb_free(&sb);

	if (devs(3))
		return;
	ret = k_read_dep(&k, "d0: d2\nd1: d1\n", &e);
	CHECK("a device that needs itself",
	      ret == -ELOOP && strstr(e.msg, "among: d1 (d1 needs d1)"),
	      "%d %s", ret, e.msg);

	/* the whole chain of 3000 closed into a loop: found in one walk */
	if (devs(CHAIN))
		return;
	for (i = 0; i < CHAIN; i++)
		sb_printf(&sb, "d%d: d%d\n", i, (i + 1) % CHAIN);
	ret = k_read_dep(&k, sb_str(&sb), &e);
	CHECK("a loop of 3000",
	      ret == -ELOOP && strstr(e.msg, "among: d0 d1 d2"), "%d %.80s",
	      ret, e.msg);
	sb_free(&sb);
}

static void order(void)
{
	struct err e = { "" };
	int ret;

	/* d3 needs d1; the rest need nothing: d0 d1 d2 d4, then d3 */
	if (devs(5))
		return;
	ret = k_read_dep(&k, "# boots after d1\nd3: d1\n\n", &e);
	CHECK("what needs nothing keeps lab.conf order",
	      !ret && k.devs[0].order == 0 && k.devs[1].order == 1 &&
		      k.devs[2].order == 2 && k.devs[4].order == 3 &&
		      k.devs[3].order == 4,
	      "%d %s", ret, e.msg);
	ret = k_read_dep(&k, "d3: d1 d1\nd3: d2\n", &e);
	CHECK("a dependency twice, and a device on two lines",
	      !ret && k.devs[3].order == 4, "%d %s", ret, e.msg);
	ret = k_read_dep(&k, "d3 d1\n", &e);
	CHECK("a line without ':' is a syntax error with its line",
	      ret == -EINVAL && strstr(e.msg, "lab.dep:1: syntax error"), "%s",
	      e.msg);
	ret = k_read_dep(&k, "\nd3: zz\n", &e);
	CHECK("an unknown device with its line",
	      ret == -EINVAL && strstr(e.msg, "lab.dep:2: zz: no such device"),
	      "%s", e.msg);
}

int main(void)
{
	chain();
	loops();
	order();
	free(k.devs);
	UNIT_DONE();
}
