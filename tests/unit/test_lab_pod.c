// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for link steps in a node's pod (umnet node test, struct lab's
 * pod_steps): what they touch, and the interface names of a lab read
 * without compiling.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "labimpair.h"
#include "labrun.h"
#include "unit.h"

/*
 * umnet node test in a pod (pod_steps): a link step whose nodes do not run
 * here says so, and writes no lab state (UMNET_STATE_DIR points nowhere)
 */
static void pod_steps(void)
{
	struct impair im = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	int ret = lab_parse("/x/ps.lab",
			    "[lab]\nname = ps\n[node a]\n[node b]\n"
			    "[link w]\nendpoint = a\nendpoint = b\n",
			    "/x", &lab, &e);

	setenv("UMNET_STATE_DIR", "/nonexistent/umnet-unit", 1);
	lab.pod_steps = true;
	if (!ret)
		ret = lab_compile(&lab, NULL, &e);
	if (!ret)
		ret = lab_link_set(&lab, 0, true, &e);
	CHECK("pod steps: link-down with no node here says so",
	      ret == -ESRCH &&
		      !strcmp(e.msg, "link w: none of its nodes runs here"),
	      "%d %s", ret, e.msg);
	ret = lab_link_impair(&lab, 0, &im, &e);
	CHECK("pod steps: link-reset with no node here says so",
	      ret == -ESRCH &&
		      !strcmp(e.msg, "link w: none of its nodes runs here"),
	      "%d %s", ret, e.msg);
	unsetenv("UMNET_STATE_DIR");
	lab_free(&lab);

	/* uncompiled (a pod's lab.lab): the names come from rename = lines */
	memset(&lab, 0, sizeof(lab));
	ret = lab_parse("/x/rn.lab",
			"[lab]\nname = rn\n[node a]\nrename = vec1 eth0\n"
			"[node b]\n[link w]\nendpoint = a:vec1\n"
			"endpoint = b:vec0\n",
			"/x", &lab, &e);
	{
		char n0[16] = "", n1[16] = "";

		if (!ret) {
			lab_ep_ifname(&lab, &lab.links[0].eps[0], n0,
				      sizeof(n0));
			lab_ep_ifname(&lab, &lab.links[0].eps[1], n1,
				      sizeof(n1));
		}
		CHECK("an uncompiled lab's endpoint names: rename =, else vecN",
		      !ret && !strcmp(n0, "eth0") && !strcmp(n1, "vec0"),
		      "%d %s: %s %s", ret, e.msg, n0, n1);
	}
	lab_free(&lab);
}

int main(void)
{
	pod_steps();
	UNIT_DONE();
}
