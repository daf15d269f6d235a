/* SPDX-License-Identifier: GPL-2.0 */
/* Running a lab's [test] assertions (docs/lab.md). Never prints. */
#ifndef UMNET_LABTEST_H
#define UMNET_LABTEST_H

#include <stddef.h>

#include "lab.h"

/*
 * Run lab->tests[idx] (wait-for: retried every 0.5 s until it passes or its
 * time is up; link-down/up: the step itself). Returns 1 when it passed, 0
 * when not, with what was seen in seen; -errno when it could not run.
 */
/*
 * A throughput test's iperf3 port when the lab runs in pods (pod_steps):
 * lab test --engine starts the server in the target's pod on it, and the
 * client's pod connects to it (elsewhere a port is picked per run). From
 * the test's index: the pods' lab.lab has the lab's tests in its order.
 */
int lab_test_port(const struct lab *lab, const struct lab_test *t);

int lab_test_run(const struct lab *lab, int idx, char *seen, size_t len,
		 long long *elapsed_ms);

#endif
