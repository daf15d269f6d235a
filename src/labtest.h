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
int lab_test_run(const struct lab *lab, int idx, char *seen, size_t len,
		 long long *elapsed_ms);

#endif
