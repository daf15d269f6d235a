// SPDX-License-Identifier: GPL-2.0
/* Looking up a peer by name (resolve.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

/* the names tried, in order of preference: HOST, HOST-pod, HOST-pod-0 */
static const char *const suffix[] = { "", "-pod", "-pod-0" };
#define NSUFFIX (sizeof(suffix) / sizeof(suffix[0]))
#define NAME_MAX_LEN 300

struct resolve_async {
	struct gaicb cb[NSUFFIX];
	struct gaicb *list[NSUFFIX];
	struct addrinfo hints;
	char name[NSUFFIX][NAME_MAX_LEN];
	char service[32];
	int state; /* EAI_INPROGRESS until resolve_done reported */
};

int host_resolve(const char *host, const char *service,
		 const struct addrinfo *hints, struct addrinfo **res)
{
	char name[NAME_MAX_LEN];
	int r, first = 0;

	for (size_t i = 0; i < NSUFFIX; i++) {
		snprintf(name, sizeof(name), "%s%s", host, suffix[i]);
		r = getaddrinfo(name, service, hints, res);
		if (!r)
			return 0;
		if (!i)
			first = r;
	}
	return first;
}

int resolve_start(const char *host, const char *service,
		  const struct addrinfo *hints, struct resolve_async **out)
{
	struct resolve_async *ra;
	int r;

	*out = NULL;
	if (strlen(host) + strlen("-pod-0") >= NAME_MAX_LEN ||
	    (service && strlen(service) >= sizeof(ra->service)))
		return EAI_OVERFLOW;
	ra = calloc(1, sizeof(*ra));
	if (!ra)
		return EAI_MEMORY;
	if (hints)
		ra->hints = *hints;
	if (service)
		strcpy(ra->service, service);
	for (size_t i = 0; i < NSUFFIX; i++) {
		snprintf(ra->name[i], sizeof(ra->name[i]), "%s%s", host,
			 suffix[i]);
		ra->cb[i].ar_name = ra->name[i];
		ra->cb[i].ar_service = service ? ra->service : NULL;
		ra->cb[i].ar_request = &ra->hints;
		ra->list[i] = &ra->cb[i];
	}
	ra->state = EAI_INPROGRESS;
	r = getaddrinfo_a(GAI_NOWAIT, ra->list, NSUFFIX, NULL);
	if (r) {
		/* nothing of it was queued (EAI_AGAIN, EAI_MEMORY, EAI_SYSTEM) */
		free(ra);
		return r;
	}
	*out = ra;
	return 0;
}

int resolve_done(struct resolve_async *ra, struct addrinfo **res)
{
	size_t i;
	int r;

	*res = NULL;
	if (ra->state != EAI_INPROGRESS)
		return ra->state;
	for (i = 0; i < NSUFFIX; i++)
		if (gai_error(&ra->cb[i]) == EAI_INPROGRESS)
			return EAI_INPROGRESS;
	/* all ended: the first name that resolved wins, as in host_resolve */
	ra->state = gai_error(&ra->cb[0]);
	for (i = 0; i < NSUFFIX; i++) {
		r = gai_error(&ra->cb[i]);
		if (!r && !*res) {
			*res = ra->cb[i].ar_result;
			ra->state = 0;
		} else if (!r) {
			freeaddrinfo(ra->cb[i].ar_result);
		}
		ra->cb[i].ar_result = NULL;
	}
	return ra->state;
}

void resolve_free(struct resolve_async *ra)
{
	bool running = false;
	size_t i;

	if (!ra)
		return;
	for (i = 0; i < NSUFFIX; i++) {
		if (gai_error(&ra->cb[i]) == EAI_INPROGRESS &&
		    gai_cancel(&ra->cb[i]) == EAI_NOTCANCELED) {
			running =
				true; /* glibc's thread still writes into it */
			continue;
		}
		if (!gai_error(&ra->cb[i]) && ra->cb[i].ar_result)
			freeaddrinfo(ra->cb[i].ar_result);
	}
	if (!running)
		free(ra);
}
